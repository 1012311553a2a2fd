using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>alerting.alertmanager</c> section: one Alertmanager (its v2 API).</summary>
public sealed class AlertmanagerConfig
{
    /// <summary><c>url</c>: the Alertmanager's base address, e.g. <c>http://127.0.0.1:9093/</c>.</summary>
    [ConfigurationKeyName("url")]
    public Uri? Url { get; init; }

    /// <summary><c>resend_interval</c>: how often firing alerts are sent again while they fire (default 1m).</summary>
    [ConfigurationKeyName("resend_interval")]
    public Duration? ResendInterval { get; init; }
}
