namespace Courier.Dispatching.Admission;

/// <summary>
/// One check a decoded job passes before it runs (cancellation, claim TTLs, deduplication, supersession, rate limits):
/// it lets the job run, ends it in a counted terminal state without running it, or sends it to wait in a retry
/// tier. The dispatcher asks its checks in order (<see cref="Dispatcher"/> fills the list in its constructor) for
/// every execution of a real job — first attempts and retries, never a probe or the partitioner's forwarding hop —
/// and tells each the job's outcome once it is durable and before its offset is committed.
/// </summary>
/// <remarks>
/// A check that needs the state store fails open: when the store throws <see cref="State.JobStateStoreException"/>
/// it lets the job run and counts the failure (<c>courier.state.errors</c>) rather than stall the type.
/// </remarks>
internal interface IJobAdmission
{
    /// <summary>What to do with the job now.</summary>
    ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The job's outcome (an <see cref="Outcomes.OutcomeSample.Outcome"/> name, or a skipped state of
    /// <see cref="SkippedStates"/>) is durable; called for every check, including ones that let it run.
    /// </summary>
    ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken);

    /// <summary>
    /// The job ends without an outcome (stopped by shutdown, or its outcome could not be made durable); its record is
    /// read again (after the restart, or by the partition's next owner). Called instead of <see cref="OutcomeAsync"/>,
    /// with a token of its own: at shutdown the dispatcher's is cancelled.
    /// </summary>
    ValueTask UnfinishedAsync(AdmissionRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
