using Courier.Server.Alerting;

namespace Courier.Cli.Rendering;

/// <summary>What the live progress shows at one refresh.</summary>
internal sealed record ProgressSnapshot
{
    public required TimeSpan Elapsed { get; init; }

    public required string Phase { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>The job log engine's name (sqlite, kafka).</summary>
    public string Engine { get; init; } = "sqlite";

    /// <summary>The state store's name (embedded, redis).</summary>
    public string StateStore { get; init; } = "embedded";

    public string? MetricsUrl { get; init; }

    /// <summary>Where the job types run: <c>in-process</c>, or runner pools with their URLs and types.</summary>
    public string Executors { get; init; } = "in-process";

    public long Enqueued { get; init; }

    public long EnqueueTarget { get; init; }

    public required IReadOnlyList<TypeProgress> Types { get; init; }

    public IReadOnlyList<string> RecentLogs { get; init; } = [];

    public long Warnings { get; init; }

    public string? LogFile { get; init; }

    /// <summary>Synthetic probe results per probed job type (<see cref="Dispatcher.GetProbes"/>).</summary>
    public IReadOnlyList<ProbeStatus> Probes { get; init; } = [];

    /// <summary>When the snapshot was taken (what probe ages are measured from).</summary>
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>The built-in watcher's firing alerts (silenced ones included, marked).</summary>
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>The dispatcher's recurring jobs (<see cref="Dispatcher.GetRecurring"/>).</summary>
    public IReadOnlyList<Courier.Recurring.RecurringStatus> Recurring { get; init; } = [];

    /// <summary>The runner pools' canaries (<see cref="Dispatcher.GetCanaries"/>).</summary>
    public IReadOnlyList<Courier.Canaries.CanaryStatus> Canaries { get; init; } = [];
}
