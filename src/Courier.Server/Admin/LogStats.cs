namespace Courier.Server.Admin;

/// <summary>A snapshot of the job log: every topic's offsets and backlog, and the dead letters by type and class.</summary>
internal sealed class LogStats
{
    /// <summary>The consumer group whose committed offsets define the backlog.</summary>
    public required string GroupId { get; init; }

    /// <summary>Every topic, by name.</summary>
    public required IReadOnlyList<TopicStats> Topics { get; init; }

    /// <summary>Dead letters by job type (<c>?</c> when unknown), then by failure class wire name (<c>unknown</c> when missing).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> DeadLetters { get; init; }

    /// <summary>Dead letters replayed so far (entries in the replay ledger).</summary>
    public required long Replayed { get; init; }

    /// <summary>All dead letters.</summary>
    public long DeadLetterTotal => DeadLetters.Values.Sum(byClass => byClass.Values.Sum());
}
