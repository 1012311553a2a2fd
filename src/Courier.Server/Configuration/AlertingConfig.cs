using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>alerting</c> section: the built-in watcher's receivers, the labels that place its alerts, and the few
/// thresholds that tune it (the defaults are the shipped Prometheus rules' values). Without the section the watcher
/// runs with its defaults and no receiver.
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

    /// <summary><c>evaluation_interval</c>: how often the watcher reads the counters and evaluates its alerts (default 5s).</summary>
    [ConfigurationKeyName("evaluation_interval")]
    public Duration? EvaluationInterval { get; init; }

    /// <summary>
    /// <c>failure_budget</c>: the share of a type's executions that may fail, which the burn-rate alerts multiply
    /// (default 0.01, the rules' <c>courier:job_failure_ratio:budget</c>).
    /// </summary>
    [ConfigurationKeyName("failure_budget")]
    public double? FailureBudget { get; init; }

    /// <summary>
    /// <c>failing_ratio</c>: an explicit failure ratio over one minute above which <c>CourierJobTypeFailing</c> fires.
    /// Unset (the default), it is the fast burn threshold, 14.4 times <c>failure_budget</c> (0.144 at 0.01), as in the
    /// shipped rule.
    /// </summary>
    [ConfigurationKeyName("failing_ratio")]
    public double? FailingRatio { get; init; }

    /// <summary>
    /// <c>hold_for</c>: replaces every alert's <c>for</c> (how long its condition must hold, 5 to 15 minutes in the
    /// shipped rules) with this duration; for tests and demonstrations. Unset (the default), the rules' own apply.
    /// </summary>
    [ConfigurationKeyName("hold_for")]
    public Duration? HoldFor { get; init; }

    /// <summary>
    /// <c>failing_min_failures</c>: the failed executions a type needs in an alert's short window before any
    /// failure-ratio alert fires for it (default 5), so that one failure of two executions does not page.
    /// </summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("failing_min_failures")]
    public int? FailingMinFailures { get; init; }
}
