using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The dispatcher service's configuration file (<c>courier.yaml</c> or <c>.json</c>), as loaded by
/// <see cref="CourierConfigFile.Load(string)"/>. Every value is optional; what is absent keeps the value already in the
/// options it is applied to (documented defaults in docs/operations.md "Configuration").
/// </summary>
public sealed class CourierConfig
{
    /// <summary><c>data</c>: directory of the embedded (SQLite) job log, the demo inbox and the log file.</summary>
    [ConfigurationKeyName("data")]
    public string? Data { get; set; }

    /// <summary><c>engine</c>: the job log engine (SQLite in <see cref="Data"/> when absent).</summary>
    [ConfigurationKeyName("engine")]
    public EngineConfig? Engine { get; init; }

    /// <summary><c>service</c>: service name in retry and error topic names (<see cref="TopicNames.ServiceName"/>).</summary>
    [ConfigurationKeyName("service")]
    public string? Service { get; init; }

    /// <summary><c>job_topic_prefix</c>: prefix of job topics (<see cref="TopicNames.JobTopicPrefix"/>).</summary>
    [ConfigValue(AllowEmpty = true)]
    [ConfigurationKeyName("job_topic_prefix")]
    public string? JobTopicPrefix { get; init; }

    /// <summary><c>max_event_bytes</c>: largest job event accepted (<see cref="CourierOptions.MaxEventBytes"/>).</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_event_bytes")]
    public int? MaxEventBytes { get; init; }

    /// <summary><c>dispatcher</c>: consumer group, timing, retry tiers, default rule and per-type rules.</summary>
    [ConfigurationKeyName("dispatcher")]
    public DispatcherConfig Dispatcher { get; init; } = new();

    /// <summary><c>runners</c>: pools of HTTP runners by name, which rules name in <c>runner</c>.</summary>
    [ConfigurationKeyName("runners")]
    public IReadOnlyDictionary<string, RunnerPoolConfig> Runners { get; init; } = new Dictionary<string, RunnerPoolConfig>();

    /// <summary><c>params_schemas</c>: the params schemas jobs are checked against (docs/contracts.md).</summary>
    [ConfigurationKeyName("params_schemas")]
    public ParamsSchemasConfig? ParamsSchemas { get; init; }

    /// <summary><c>metrics</c>: where <c>/metrics</c> is served.</summary>
    [ConfigurationKeyName("metrics")]
    public MetricsConfig? Metrics { get; init; }

    /// <summary><c>http</c>: the HTTP server's limits and allowed host names.</summary>
    [ConfigurationKeyName("http")]
    public HttpConfig? Http { get; init; }

    /// <summary><c>auth</c>: the bearer tokens of the admin and intake surfaces.</summary>
    [ConfigurationKeyName("auth")]
    public AuthConfig? Auth { get; init; }

    /// <summary><c>intake</c>: the limits of one <c>POST /v1/events</c>.</summary>
    [ConfigurationKeyName("intake")]
    public IntakeConfig? Intake { get; init; }

    /// <summary>
    /// <c>release</c>: the id of the release this process runs, on outcome metrics and failure logs
    /// (<see cref="CourierOptions.Release"/>; default: the <c>COURIER_RELEASE</c> environment variable, else the build's
    /// informational version).
    /// </summary>
    [ConfigurationKeyName("release")]
    public string? Release { get; init; }

    /// <summary><c>telemetry</c>: OTLP export of traces and metrics (docs/operations.md "Tracing").</summary>
    [ConfigurationKeyName("telemetry")]
    public TelemetryConfig? Telemetry { get; init; }

    /// <summary><c>state</c>: the state store of the scheduling semantics (embedded in the data directory when absent).</summary>
    [ConfigurationKeyName("state")]
    public StateConfig? State { get; init; }

    /// <summary><c>alerting</c>: the built-in watcher's receivers and labels.</summary>
    [ConfigurationKeyName("alerting")]
    public AlertingConfig? Alerting { get; init; }

    /// <summary>
    /// <c>recurring</c>: jobs enqueued on a cron schedule, each tick once across the dispatchers sharing a state store
    /// (docs/operations.md "Recurring jobs"); each entry replaces a recurring job of the same name.
    /// </summary>
    [ConfigurationKeyName("recurring")]
    public ConfigList<RecurringConfig>? Recurring { get; init; }

    /// <summary>
    /// Writes the configured values into <paramref name="courier"/> and <paramref name="dispatcher"/>. Absent values
    /// leave what is there. <c>dispatcher.defaults</c> overrides the default rule field by field; each rule starts
    /// from the (resulting) default rule and overrides what it sets, and replaces an existing rule of its type.
    /// </summary>
    public void ApplyTo(CourierOptions courier, DispatcherOptions dispatcher)
    {
        ArgumentNullException.ThrowIfNull(courier);
        ArgumentNullException.ThrowIfNull(dispatcher);

        if (Service is not null)
        {
            courier.Topics.ServiceName = Service;
        }
        if (JobTopicPrefix is not null)
        {
            courier.Topics.JobTopicPrefix = JobTopicPrefix;
        }
        if (MaxEventBytes is { } maxEventBytes)
        {
            courier.MaxEventBytes = maxEventBytes;
        }
        if (Release is not null)
        {
            // Over COURIER_RELEASE and the build's version, the defaults of CourierOptions.Release.
            courier.Release = Release;
        }
        // The directory itself is loaded by the host (CourierServer, CourierRunnerHost), once, at start.
        if (ParamsSchemas?.RequireSchemas is { } requireSchemas)
        {
            courier.RequireParamsSchemas = requireSchemas;
        }
        if (ParamsSchemas?.RequireVersion is { } requireVersion)
        {
            courier.RequireParamsVersion = requireVersion;
        }

        var d = Dispatcher;
        if (d.GroupId is not null)
        {
            dispatcher.GroupId = d.GroupId;
        }
        if (d.CommitInterval is { } commitInterval)
        {
            dispatcher.CommitInterval = commitInterval;
        }
        if (d.ShutdownDrainTimeout is { } drain)
        {
            dispatcher.ShutdownDrainTimeout = drain;
        }
        if (d.CancelTtl is { } cancelTtl)
        {
            dispatcher.CancelTtl = cancelTtl;
        }
        if (d.Ledger is { } ledger)
        {
            dispatcher.OutcomeLedger = ledger;
        }
        if (d.RetryTiers is { } tiers)
        {
            dispatcher.RetryTiers.Clear();
            foreach (var tier in tiers)
            {
                dispatcher.RetryTiers.Add(tier);
            }
        }

        foreach (var (name, pool) in Runners)
        {
            Replace(dispatcher.RunnerPools, pool.ToOptions(name), p => p.Name);
        }

        var defaults = d.Defaults.Resolve("*", dispatcher.DefaultRule);
        dispatcher.DefaultRule = defaults;
        foreach (var (type, rule) in d.Rules)
        {
            Replace(dispatcher.Rules, rule.Resolve(type, defaults), r => r.Type);
        }
        foreach (var (name, pattern) in d.Patterns)
        {
            Replace(dispatcher.PatternRules, new TopicPatternRule { Name = name, Pattern = pattern.Topics!, Settings = pattern.Resolve("*", defaults) }, p => p.Name);
        }
        foreach (var recurring in Recurring ?? [])
        {
            Replace(dispatcher.Recurring, recurring.ToJob(), r => r.Name);
        }
    }

    /// <summary>Adds <paramref name="item"/> at the end of <paramref name="list"/>, instead of any item of the same name.</summary>
    private static void Replace<T>(IList<T> list, T item, Func<T, string> name)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (string.Equals(name(list[i]), name(item), StringComparison.Ordinal))
            {
                list.RemoveAt(i);
            }
        }
        list.Add(item);
    }
}
