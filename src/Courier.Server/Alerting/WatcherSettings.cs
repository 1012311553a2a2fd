using Courier.Server.Configuration;

namespace Courier.Server.Alerting;

/// <summary>The built-in watcher's settings: the <c>alerting</c> section with its defaults applied.</summary>
internal sealed record WatcherSettings
{
    /// <summary>Default of <see cref="EvaluationInterval"/>.</summary>
    public static readonly TimeSpan DefaultEvaluationInterval = TimeSpan.FromSeconds(5);

    /// <summary>Default of <see cref="ResendInterval"/>.</summary>
    public static readonly TimeSpan DefaultResendInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long a resolved alert stays listed (and sent, with its end) before it is dropped.</summary>
    public static readonly TimeSpan ResolvedRetention = TimeSpan.FromMinutes(15);

    /// <summary>How often the counters are read and the alerts evaluated.</summary>
    public TimeSpan EvaluationInterval { get; init; } = DefaultEvaluationInterval;

    /// <summary>The share of a type's executions that may fail; the burn-rate alerts multiply it.</summary>
    public double FailureBudget { get; init; } = 0.01;

    /// <summary>The fast burn rate: the multiple of <see cref="FailureBudget"/> the fast pair and <c>CourierJobTypeFailing</c> alert over.</summary>
    public const double FastBurnRate = 14.4;

    /// <summary>
    /// An explicit one-minute failure ratio over which <c>CourierJobTypeFailing</c> fires, or null (the default) for
    /// <see cref="FastBurnRate"/> times <see cref="FailureBudget"/>, as the shipped rule.
    /// </summary>
    public double? FailingRatio { get; init; }

    /// <summary>The one-minute failure ratio over which <c>CourierJobTypeFailing</c> fires: <see cref="FailingRatio"/> or the fast burn threshold.</summary>
    public double FailingThreshold => FailingRatio ?? FastBurnRate * FailureBudget;

    /// <summary>The failures a type (or runner errors a pool) needs in an alert's short window before a ratio alert fires.</summary>
    public int FailingMinFailures { get; init; } = 5;

    /// <summary>
    /// Every alert's <c>for</c> (how long its condition must hold before it fires) instead of the shipped rules' own, or
    /// null (the default) for theirs. For tests and demonstrations, as a test Prometheus rewrites the rules' <c>for:</c>.
    /// </summary>
    public TimeSpan? HoldFor { get; init; }

    /// <summary>The <c>service</c> label.</summary>
    public string Service { get; init; } = "courier";

    /// <summary>The <c>instance</c> label.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>The Alertmanager's base address, or null.</summary>
    public Uri? AlertmanagerUrl { get; init; }

    /// <summary>How often firing alerts are sent to the Alertmanager again.</summary>
    public TimeSpan ResendInterval { get; init; } = DefaultResendInterval;

    /// <summary>Webhook URLs.</summary>
    public IReadOnlyList<Uri> Webhooks { get; init; } = [];

    /// <summary>A rule with <see cref="HoldFor"/> as its <c>for</c> when set; a rule without a <c>for</c> keeps firing at once.</summary>
    internal WatcherRule Held(WatcherRule rule) => HoldFor is { } hold && rule.For > TimeSpan.Zero ? rule with { For = hold } : rule;

    /// <summary>
    /// What the dispatcher knows of a rolled-back canary, by runner pool (its job types and top errors), for the
    /// description of <c>CourierCanaryRolledBack</c>; null without a dispatcher, or for a pool it has no canary of.
    /// </summary>
    public Func<string, string?>? CanaryDetails { get; init; }

    /// <summary>The settings of an <c>alerting</c> section (null: defaults) for a service name.</summary>
    public static WatcherSettings From(AlertingConfig? config, string service)
    {
        var defaults = new WatcherSettings();
        return new WatcherSettings
        {
            EvaluationInterval = config?.EvaluationInterval?.TimeSpan ?? defaults.EvaluationInterval,
            FailureBudget = config?.FailureBudget ?? defaults.FailureBudget,
            FailingRatio = config?.FailingRatio,
            FailingMinFailures = config?.FailingMinFailures ?? defaults.FailingMinFailures,
            HoldFor = config?.HoldFor?.TimeSpan,
            Service = service,
            Instance = config?.Instance ?? defaults.Instance,
            AlertmanagerUrl = config?.Alertmanager?.Url,
            ResendInterval = config?.Alertmanager?.ResendInterval?.TimeSpan ?? defaults.ResendInterval,
            Webhooks = config?.Webhooks?.ToArray() ?? [],
        };
    }
}
