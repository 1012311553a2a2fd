namespace Courier;

/// <summary>
/// Counts for one job type since the dispatcher started. Every first execution read from a job topic ends in
/// exactly one terminal state, so <c>Started = Succeeded + DeadLettered + Ignored + Deduplicated + Superseded +
/// Abandoned + Cancelled + Pending</c> where Pending is what is in flight or waiting in a retry tier.
/// </summary>
public sealed record JobTypeStats
{
    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>Where the type's jobs run: <c>in-process</c> or the name of its runner pool (null when not known).</summary>
    public string? Executor { get; init; }

    /// <summary>Records read from the job topic (first attempts), including ones that failed to decode.</summary>
    public long Started { get; init; }

    /// <summary>Of <see cref="Started"/>, replayed dead letters (records carrying <c>courier.replay.of</c>).</summary>
    public long Replayed { get; init; }

    /// <summary>Jobs that ended in success.</summary>
    public long Succeeded { get; init; }

    /// <summary>Jobs that ended in the error topic.</summary>
    public long DeadLettered { get; init; }

    /// <summary>Dead letters by failure class.</summary>
    public IReadOnlyDictionary<FailureClass, long> DeadLetteredByClass { get; init; } = new Dictionary<FailureClass, long>();

    /// <summary>Jobs whose failure the rule ignores (counted as done, separately from success).</summary>
    public long Ignored { get; init; }

    /// <summary>Jobs not run because the same job (by event id, <c>sha1</c> or root job) already ran after they were created.</summary>
    public long Deduplicated { get; init; }

    /// <summary>Jobs not run because a newer root job with the same signature was seen.</summary>
    public long Superseded { get; init; }

    /// <summary>Jobs not run because they were older than their rule's claim TTL (or root claim TTL) when reached.</summary>
    public long Abandoned { get; init; }

    /// <summary>Jobs an operator cancelled (before they ran, or while running).</summary>
    public long Cancelled { get; init; }

    /// <summary>Retries scheduled (each retry record produced counts once).</summary>
    public long Retried { get; init; }

    /// <summary>Backpressure waits scheduled (retries that spend no attempt).</summary>
    public long Backpressured { get; init; }

    /// <summary>
    /// Failures not held against their job (its type's breaker was open, or a canary release failed it): retried
    /// without spending an attempt, never dead-lettered for that failure.
    /// </summary>
    public long Held { get; init; }

    /// <summary>
    /// Synthetic probe jobs that succeeded. Probes are counted here only: they are not in <see cref="Started"/>,
    /// <see cref="Executions"/>, <see cref="Succeeded"/> or any other count above.
    /// </summary>
    public long ProbesSucceeded { get; init; }

    /// <summary>Synthetic probe jobs that failed (outcome <c>probe_failed</c>: committed, never retried, held or dead-lettered).</summary>
    public long ProbesFailed { get; init; }

    /// <summary>Jobs forwarded to the partitioned topic (partitioned rules only; a hop, not an outcome).</summary>
    public long Partitioned { get; init; }

    /// <summary>Executions running now.</summary>
    public long InFlight { get; init; }

    /// <summary>Executions that ran (first attempts and retries).</summary>
    public long Executions { get; init; }

    /// <summary>
    /// True while the type's consumption is paused (<see cref="Dispatcher.Pause"/>): its jobs wait in the log.
    /// In a total row, true when any type added up is paused.
    /// </summary>
    public bool Paused { get; init; }

    /// <summary>
    /// True while an operator's pause is in force (<see cref="Dispatcher.Pause"/>, the control topic), whether or not
    /// the circuit breaker pauses the type too; false when only the breaker does. In a total row, true when any type's is.
    /// </summary>
    public bool PausedByOperator { get; init; }

    /// <summary>When the pause in force began; null while the type runs.</summary>
    public DateTimeOffset? PausedSince { get; init; }

    /// <summary>Why the type is paused (as given to <see cref="Dispatcher.Pause"/>); null while the type runs.</summary>
    public string? PauseReason { get; init; }

    /// <summary>
    /// The type's circuit breaker: <c>closed</c>, <c>open</c> (the type is paused by it) or <c>half_open</c> (a few
    /// jobs are let through on trial); null when its rule turns the breaker off. In a total row, the worst of the types'.
    /// </summary>
    public string? BreakerState { get; init; }

    /// <summary>Jobs started but not yet in a terminal state.</summary>
    public long Pending => Started - Ended;

    /// <summary>Jobs in a terminal state: succeeded, dead-lettered, ignored, deduplicated, superseded, abandoned or cancelled.</summary>
    public long Ended => Succeeded + DeadLettered + Ignored + Deduplicated + Superseded + Abandoned + Cancelled;

    /// <summary>The counts of several types added up, under the name <paramref name="type"/> (e.g. a total row).</summary>
    public static JobTypeStats Total(string type, IEnumerable<JobTypeStats> types)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(types);
        var list = types.ToList();
        var byClass = new Dictionary<FailureClass, long>();
        foreach (var (failureClass, count) in list.SelectMany(t => t.DeadLetteredByClass))
        {
            byClass[failureClass] = byClass.GetValueOrDefault(failureClass) + count;
        }
        return new JobTypeStats
        {
            Type = type,
            Started = list.Sum(t => t.Started),
            Replayed = list.Sum(t => t.Replayed),
            Succeeded = list.Sum(t => t.Succeeded),
            DeadLettered = list.Sum(t => t.DeadLettered),
            DeadLetteredByClass = byClass,
            Ignored = list.Sum(t => t.Ignored),
            Deduplicated = list.Sum(t => t.Deduplicated),
            Superseded = list.Sum(t => t.Superseded),
            Abandoned = list.Sum(t => t.Abandoned),
            Cancelled = list.Sum(t => t.Cancelled),
            Retried = list.Sum(t => t.Retried),
            Backpressured = list.Sum(t => t.Backpressured),
            Held = list.Sum(t => t.Held),
            ProbesSucceeded = list.Sum(t => t.ProbesSucceeded),
            ProbesFailed = list.Sum(t => t.ProbesFailed),
            Partitioned = list.Sum(t => t.Partitioned),
            InFlight = list.Sum(t => t.InFlight),
            Executions = list.Sum(t => t.Executions),
            Paused = list.Any(t => t.Paused),
            PausedByOperator = list.Any(t => t.PausedByOperator),
            BreakerState = list.Select(t => t.BreakerState).FirstOrDefault(s => s == "open")
                ?? list.Select(t => t.BreakerState).FirstOrDefault(s => s == "half_open")
                ?? list.Select(t => t.BreakerState).FirstOrDefault(s => s is not null),
        };
    }
}
