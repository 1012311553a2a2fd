namespace Courier;

/// <summary>Facts about one execution of a job.</summary>
public sealed class JobContext
{
    /// <summary>1 for the first execution, 2 for the first retry, and so on. Backpressure does not count.</summary>
    public required int Attempt { get; init; }

    /// <summary>The job's own topic (not the retry topic it may have been read from).</summary>
    public required string Topic { get; init; }

    /// <summary>Where the record that carried this execution was read.</summary>
    public required TopicPartitionOffset Source { get; init; }

    /// <summary>The time limit of this execution.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>
    /// True for a synthetic probe (a record carrying <c>courier.probe</c>): it goes the real path to prove the type
    /// runs, and a handler with side effects should skip its work or take a no-side-effect path.
    /// </summary>
    public bool IsProbe { get; init; }

    /// <summary>
    /// Why the previous execution's failure was held rather than counted (the record's <c>courier.held</c>: e.g.
    /// <c>canary</c>, which sends this one to the stable runners); null for an ordinary attempt.
    /// </summary>
    public string? Held { get; init; }
}
