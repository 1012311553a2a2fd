namespace Courier.Dispatching.Admission;

/// <summary>What an <see cref="IJobAdmission"/> decided: run the job, end it without running, or let it wait.</summary>
internal readonly record struct AdmissionVerdict
{
    /// <summary>Run the job (or ask the next check).</summary>
    public static AdmissionVerdict Run => default;

    /// <summary>
    /// The job's terminal state when it ends without running (one of <see cref="SkippedStates"/>); null when it runs or waits.
    /// </summary>
    public string? Skipped { get; init; }

    /// <summary>How long the job waits in a retry tier (same attempt, no failure) before it is checked again; null when it does not.</summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>Why, for the log line and the retry record's message (e.g. "duplicate of a job still running").</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// True when the record is a retry record read again after its job had ended (its partition lost or revoked, or
    /// a dispatcher killed, before the commit): the dispatcher counts it as a start of its own, as it does a job record
    /// read again, so that every start it counts still ends once.
    /// </summary>
    public bool RetryReadAgain { get; init; }

    /// <summary>
    /// With <see cref="Wait"/>: the run-claim key the job waits on (<see cref="CourierHeaders.Claim"/> of its retry
    /// record), when it waits because another reader runs the same record; null otherwise.
    /// </summary>
    public string? Claim { get; init; }

    /// <summary>Ends the job in <paramref name="state"/> (a <see cref="SkippedStates"/> name) without running it.</summary>
    public static AdmissionVerdict Skip(string state, string reason) => new() { Skipped = state, Reason = reason };

    /// <summary>Sends the job to wait <paramref name="delay"/> in a retry tier, without spending an attempt.</summary>
    public static AdmissionVerdict WaitFor(TimeSpan delay, string reason) => new() { Wait = delay, Reason = reason };
}
