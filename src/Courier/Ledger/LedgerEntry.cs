namespace Courier.Ledger;

/// <summary>
/// One terminal outcome in the outcome ledger (<see cref="TopicNames.OutcomeLedgerTopic"/>): which job, where its
/// record is in its job topic, how it ended, by which release and dispatcher, and when. Written durably before the
/// job's offset is committed, so a committed job record without an entry (and without a pending retry or a dead
/// letter) is a lost job — what <c>courier audit</c> looks for.
/// </summary>
public sealed record LedgerEntry
{
    /// <summary>The job's id (<c>meta.id</c>); null when the record could not be decoded.</summary>
    public string? JobId { get; init; }

    /// <summary>The job type (of the topic it was read from).</summary>
    public required string Type { get; init; }

    /// <summary>
    /// The job's origin: the position of the record in its job topic that was accepted (for a retry or a partitioned
    /// copy, the origin its headers carry, not the retry record's own position).
    /// </summary>
    public required TopicPartitionOffset Origin { get; init; }

    /// <summary>One of <see cref="LedgerOutcomes.All"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>For <c>dead_lettered</c> and <c>ignored</c>, the failure class's wire name; otherwise null.</summary>
    public string? Class { get; init; }

    /// <summary>The attempt that ended it (1 for the first).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The release that ran the last attempt (the runner's when it announced one, else the dispatcher's).</summary>
    public string? Release { get; init; }

    /// <summary>The dispatcher instance that wrote the entry (host and process id), to tell duplicates after a kill apart.</summary>
    public string? Dispatcher { get; init; }

    /// <summary>For a replayed dead letter's copy, the dead letter's position (header <c>courier.replay.of</c>).</summary>
    public string? ReplayOf { get; init; }

    /// <summary>When the outcome became durable.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>
    /// The record's key in the ledger topic: the job id, or for an undecodable record its origin position (so the
    /// Kafka topic, compacted by key, keeps each job's last outcome).
    /// </summary>
    public string Key => JobId ?? $"{Origin.Topic}:{Origin.Partition}:{Origin.Offset}";
}
