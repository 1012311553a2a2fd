namespace Courier.Dispatching.Outcomes;

/// <summary>
/// One durable outcome of one attempt, as the dispatcher's watchers see it (breaker, outcome history, probes):
/// told to every <see cref="IOutcomeListener"/> after the outcome's records are in the log.
/// </summary>
/// <param name="JobType">The job type.</param>
/// <param name="Outcome">
/// <c>succeeded</c>, <c>ignored</c>, <c>retried</c>, <c>backpressure</c>, <c>held</c> (failed, retried without spending
/// an attempt), <c>dead_lettered</c>, a job ended without running (<c>deduplicated</c>, <c>superseded</c>,
/// <c>abandoned</c>, <c>cancelled</c>: <see cref="Admission.SkippedStates"/>), or for a probe <c>succeeded</c> or <c>probe_failed</c> (committed, never retried,
/// held or dead-lettered): the <c>outcome</c> tag of <c>courier.jobs.outcomes</c> (where a probe's success is not counted).
/// </param>
/// <param name="Failure">The failure class; null on success.</param>
/// <param name="Message">The failure's message; null on success.</param>
/// <param name="Release">The release that ran the attempt (the executor's when it announced one, else the dispatcher's).</param>
/// <param name="IsProbe">True for a synthetic probe job.</param>
/// <param name="At">When the outcome became durable.</param>
/// <param name="ReplayOf">For a replayed dead letter's copy, the dead letter's position (header <c>courier.replay.of</c>).</param>
internal readonly record struct OutcomeSample(
    string JobType, string Outcome, FailureClass? Failure, string? Message, string Release, bool IsProbe, DateTimeOffset At,
    string? ReplayOf = null)
{
    /// <summary>True when the attempt failed for a reason that counts against the type (not backpressure, not ignored).</summary>
    public bool IsFailure => Failure is { } f && f != FailureClass.Backpressure && Outcome != "ignored";
}
