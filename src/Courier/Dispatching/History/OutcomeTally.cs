namespace Courier.Dispatching.History;

/// <summary>The outcomes of one job type run by one release over a span of time (<see cref="OutcomeHistory.Tally"/>).</summary>
public sealed record OutcomeTally
{
    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>The release that ran the attempts.</summary>
    public required string Release { get; init; }

    /// <summary>Attempts of real jobs that ended (any outcome but backpressure; probes are counted apart).</summary>
    public long Attempts { get; init; }

    /// <summary>Of <see cref="Attempts"/>, those that failed against the type: retried, held or dead-lettered (not ignored).</summary>
    public long Failures { get; init; }

    /// <summary>Of <see cref="Failures"/>, records the executor could not decode.</summary>
    public long DecodeFailures { get; init; }

    /// <summary>Probe jobs that succeeded.</summary>
    public long ProbesSucceeded { get; init; }

    /// <summary>Probe jobs that failed.</summary>
    public long ProbesFailed { get; init; }

    /// <summary>Attempts by outcome name (<c>succeeded</c>, <c>retried</c>, <c>dead_lettered</c>, …), probes included.</summary>
    public IReadOnlyDictionary<string, long> Outcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>The most frequent failure messages (probes' included), most frequent first.</summary>
    public IReadOnlyList<ErrorCount> TopErrors { get; init; } = [];

    /// <summary>Failures over attempts; 0 without attempts.</summary>
    public double FailureRatio => Attempts == 0 ? 0 : (double)Failures / Attempts;
}
