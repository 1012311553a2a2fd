using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>alerting</c> section: the built-in watcher's receivers and the labels that place its alerts (thresholds
/// are added beside them as the watcher grows). Without the section the watcher runs with its defaults and no
/// receiver.
/// </summary>
public sealed class AlertingConfig
{
    /// <summary><c>instance</c>: the <c>instance</c> label of this process's alerts (default: the host name).</summary>
    [ConfigurationKeyName("instance")]
    public string? Instance { get; init; }

    /// <summary><c>alertmanager</c>: where firing alerts are sent and downtimes written as silences.</summary>
    [ConfigurationKeyName("alertmanager")]
    public AlertmanagerConfig? Alertmanager { get; init; }

    /// <summary><c>webhooks</c>: URLs that receive every firing and resolved alert as JSON.</summary>
    [ConfigurationKeyName("webhooks")]
    public ConfigList<Uri>? Webhooks { get; init; }
}
