using Courier.Bench.Audit;
using Courier.Bench.Dedup;
using Courier.Bench.Dlq;
using Courier.Bench.Lag;
using Courier.Bench.Ledger;
using Courier.Bench.Detect;
using Courier.Bench.Incident;
using Courier.Bench.Limit;
using Courier.Bench.KafkaLatency;

namespace Courier.Bench;

/// <summary>Everything measured for one system.</summary>
internal sealed record SystemResult
{
    /// <summary>Command-line name of the system.</summary>
    public required string System { get; init; }

    /// <summary>Name in the table.</summary>
    public required string Title { get; init; }

    /// <summary>How many jobs were enqueued at once.</summary>
    public string? EnqueueMethod { get; init; }

    /// <summary>Settings of the system as measured.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Enqueue rate into a stopped system.</summary>
    public RateResult? Enqueue { get; init; }

    /// <summary>Processing rate: the enqueued jobs, from starting the system until the last handler ran.</summary>
    public RateResult? Processing { get; init; }

    /// <summary>Start latency at a steady rate.</summary>
    public LatencyResult? Latency { get; init; }

    /// <summary>Memory while a large backlog drains.</summary>
    public BacklogResult? Backlog { get; init; }

    /// <summary>The embedded engine's physical limit over the same records (Courier only, with the rates).</summary>
    public SqliteLimitResult? SqliteLimit { get; init; }

    /// <summary>The Kafka section (the Kafka system only).</summary>
    public KafkaResult? Kafka { get; init; }

    /// <summary>The HTTP runner section (the HTTP system only).</summary>
    public HttpResult? Http { get; init; }

    /// <summary>The time-to-detect section (the detect system only).</summary>
    public DetectResult? Detect { get; init; }

    /// <summary>The incident section (the incident system only).</summary>
    public IncidentResult? Incident { get; init; }

    /// <summary>The deduplication-cost section (the dedup system only).</summary>
    public DedupResult? Dedup { get; init; }

    /// <summary>The dead-letter section (the dlq system only).</summary>
    public DlqResult? Dlq { get; init; }

    /// <summary>The lag-read section (the lag system only).</summary>
    public LagResult? Lag { get; init; }

    /// <summary>The audit section (the audit system only).</summary>
    public AuditResult? Audit { get; init; }

    /// <summary>The outcome-ledger section (the ledger system only).</summary>
    public LedgerResult? Ledger { get; init; }

    /// <summary>The Kafka start-latency section (the kafka-latency system only).</summary>
    public KafkaLatencyResult? KafkaLatency { get; init; }

    /// <summary>Why the system could not be measured, if it could not.</summary>
    public string? Error { get; init; }

    /// <summary>Combines the results of two child runs of the same system.</summary>
    public SystemResult Merge(SystemResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            EnqueueMethod = EnqueueMethod ?? other.EnqueueMethod,
            Settings = Settings.Count > 0 ? Settings : other.Settings,
            Enqueue = Enqueue ?? other.Enqueue,
            Processing = Processing ?? other.Processing,
            Latency = Latency ?? other.Latency,
            Backlog = Backlog ?? other.Backlog,
            SqliteLimit = SqliteLimit ?? other.SqliteLimit,
            Kafka = Kafka ?? other.Kafka,
            Http = Http ?? other.Http,
            Detect = Detect ?? other.Detect,
            Incident = Incident ?? other.Incident,
            Dedup = Dedup ?? other.Dedup,
            Dlq = Dlq ?? other.Dlq,
            Lag = Lag ?? other.Lag,
            Audit = Audit ?? other.Audit,
            Ledger = Ledger ?? other.Ledger,
            KafkaLatency = KafkaLatency ?? other.KafkaLatency,
            Error = string.Join("; ", new[] { Error, other.Error }.Where(e => e is not null)) is { Length: > 0 } e ? e : null,
        };
    }
}
