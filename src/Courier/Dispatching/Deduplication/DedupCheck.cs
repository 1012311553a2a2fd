using Courier.Dispatching.Admission;
using Courier.Ledger;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// Deduplication and root-job supersession (the original's <c>sys/deduplicator.js</c>), per job type and per
/// <c>database</c>, for rules with <see cref="JobRule.Dedupe"/> on. In order:
/// <list type="number">
/// <item>By event id: an event whose outcome was already made durable (<see cref="DedupKeys.Event(JobEvent)"/>)
/// is <see cref="SkippedStates.Deduplicated"/>: a record read again after a crash or a rebalance before its offset was
/// committed, or the same event produced twice. A retry record is skipped only once its event has ended for good
/// (<see cref="EndsTheJob"/>): its first attempt's "retried" is what let it exist. A replayed dead letter is keyed by
/// its replayed position as well, so the operator's replay runs although its original's id was remembered when it
/// was dead-lettered. The event key is written by <see cref="RunClaims"/> (asked last), which also keeps two readers
/// of one record from running it at once.</item>
/// <item>By root job: a job whose <c>root_event.dt</c> is older than the newest seen for its signature is
/// <see cref="SkippedStates.Superseded"/>; the newest root job's tree does the work.</item>
/// <item>By <c>sha1</c>: a job created (or whose root job was created) before the last run of the same work started
/// is <see cref="SkippedStates.Deduplicated"/> when that run is done, and waits in a retry tier while it is still
/// running; a job created after it started runs and takes the key over (see <see cref="DedupClaim"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// Where Courier differs from the original: the event id is remembered once the job's outcome is durable; what is
/// set on read is a run claim that expires and is never taken for an outcome. The original SETNX'd the id when it
/// read the event, so a dispatcher that died while the job ran left the id behind and the re-read after restart was
/// dropped as a duplicate: the job was lost. The original also dropped a duplicate of a job that was still running
/// (its key held the start time), so when that run then failed for good the work was never done; here the duplicate
/// waits, and runs if the first is dead-lettered. A store that fails fails open (the original's behaviour too), but
/// counted and logged as a warning.
/// </remarks>
internal sealed class DedupCheck(IJobStateStore store, CourierTelemetry telemetry, TimeProvider time, ILogger logger) : IJobAdmission
{
    /// <inheritdoc/>
    public async ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var policy = request.Type.Rule.Dedupe;
        if (!policy.Enabled)
        {
            return AdmissionVerdict.Run;
        }
        var job = request.Event;
        var operation = "get";
        try
        {
            // A run claim is not an outcome: RunClaims, asked last, makes a read of a record still running wait.
            if (await store.GetAsync(DedupKeys.Event(job, request.ReplayOf), cancellationToken) is { } handled && !RunClaim.IsClaim(handled)
                && (!request.IsRetry || EndsTheJob(handled)))
            {
                return AdmissionVerdict.Skip(SkippedStates.Deduplicated, $"event {job.Meta.Id} was already handled ({handled})")
                    with { RetryReadAgain = request.HandledCountsAStart };
            }
            if (job.RootEvent is { } root)
            {
                operation = "max";
                var newest = await store.MaxAsync(DedupKeys.Root(job, root), root.Dt.ToUnixTimeMilliseconds(), policy.RootWindow, cancellationToken);
                if (newest > root.Dt.ToUnixTimeMilliseconds())
                {
                    return AdmissionVerdict.Skip(SkippedStates.Superseded,
                        $"root job {root.Signature} of {root.Dt:O} was superseded by one of {DateTimeOffset.FromUnixTimeMilliseconds(newest.Value):O}");
                }
            }
            if (job.Sha1 is { } sha1)
            {
                operation = "claim";
                return await ClaimAsync(request, DedupKeys.Sha1(job, sha1), policy.Window, cancellationToken);
            }
            return AdmissionVerdict.Run;
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, operation, request);
            return AdmissionVerdict.Run;
        }
    }

    /// <summary>Claims the run of a <c>sha1</c>, or finds the job a duplicate of the last run.</summary>
    private async ValueTask<AdmissionVerdict> ClaimAsync(AdmissionRequest request, string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var job = request.Event;
        var mine = DedupClaim.Running(time.GetUtcNow(), job.Meta.Id);
        if (await store.TryAddAsync(key, mine.ToString(), window, cancellationToken))
        {
            return AdmissionVerdict.Run;
        }
        if (DedupClaim.Parse(await store.GetAsync(key, cancellationToken)) is not { } last)
        {
            // Expired since, or not a claim: this run takes the key.
            await store.SetAsync(key, mine.ToString(), window, cancellationToken);
            return AdmissionVerdict.Run;
        }
        if (string.Equals(last.JobId, job.Meta.Id, StringComparison.Ordinal))
        {
            return AdmissionVerdict.Run; // the run's own retry, or its re-read after a crash
        }
        var rootCovered = job.RootEvent is { } root && last.Covers(root.Dt);
        if (!last.Covers(job.Meta.Dt) && !rootCovered)
        {
            // Created after the last run started: it may see newer state, so it runs (even beside a run still going).
            DedupLog.TakesOver(logger, job.Meta.Id, job.Type, last.JobId, last.Start);
            await store.SetAsync(key, mine.ToString(), window, cancellationToken);
            return AdmissionVerdict.Run;
        }
        var created = rootCovered ? $"its root job was created at {job.RootEvent!.Dt:O}" : $"it was created at {job.Meta.Dt:O}";
        return last.Done
            ? AdmissionVerdict.Skip(SkippedStates.Deduplicated, $"same sha1 as job {last.JobId}, which ran at {last.Start:O}; {created}")
            // A duplicate of a run still going waits the rule's first retry delay (1 min by default) and is checked again.
            : AdmissionVerdict.WaitFor(request.Type.Rule.Retry.Delay, $"duplicate of job {last.JobId} still running (started at {last.Start:O})");
    }

    /// <inheritdoc/>
    public async ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken)
    {
        var policy = request.Type.Rule.Dedupe;
        if (!policy.Enabled)
        {
            return;
        }
        var job = request.Event;
        var operation = "get";
        try
        {
            // The event key is written by RunClaims, with the run's outcome. Here the sha1 claim: a retried, held or
            // backpressured run keeps it (its retries pass, duplicates keep waiting).
            var ended = outcome is "succeeded" or "ignored";
            // Deduplicated is not giving up: a re-read of this run's own record, whose retry may still be pending.
            var gaveUp = outcome is "dead_lettered" or SkippedStates.Superseded or SkippedStates.Abandoned or SkippedStates.Cancelled;
            if (job.Sha1 is not { } sha1 || !(ended || gaveUp))
            {
                return;
            }
            var key = DedupKeys.Sha1(job, sha1);
            if (DedupClaim.Parse(await store.GetAsync(key, cancellationToken)) is not { Done: false } claim
                || !string.Equals(claim.JobId, job.Meta.Id, StringComparison.Ordinal))
            {
                return; // not this job's run (a newer job took the key over, or this one never claimed it)
            }
            if (ended)
            {
                operation = "set";
                await store.SetAsync(key, claim.Finished().ToString(), policy.Window, cancellationToken);
            }
            else
            {
                // The work was not done: give the claim back so a waiting duplicate runs.
                operation = "delete";
                await store.DeleteAsync(key, claim.ToString(), cancellationToken);
            }
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, operation, request);
        }
    }

    /// <summary>
    /// True for an outcome after which no attempt of the job may run again: it succeeded, was ignored, dead-lettered,
    /// superseded, abandoned or cancelled. Not for "retried", "held" or "backpressure" (a retry record carries the job
    /// on), nor for "deduplicated" (that read found the job handled or running elsewhere and did nothing itself).
    /// </summary>
    /// <remarks>
    /// The original keyed nothing on retries, and neither did Courier before this: a retry record read twice (its
    /// partition revoked or lost before the commit, a dispatcher killed) ran its job twice although the first run had
    /// succeeded. The million-job chaos soak on Kafka found such jobs among its duplicates.
    /// </remarks>
    internal static bool EndsTheJob(string outcome) =>
        outcome != SkippedStates.Deduplicated && LedgerOutcomes.IsTerminal(outcome);
}
