using Courier.Dispatching.Admission;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// The last admission check for rules with <see cref="JobRule.Dedupe"/> on: a read claims its record
/// (<see cref="DedupKeys.RunClaim"/>) before the job runs, and the claim becomes the run's outcome once that is durable.
/// A second reader of the same record while it runs waits in a retry tier on that claim; one that comes after the
/// outcome ends <see cref="SkippedStates.Deduplicated"/>.
/// </summary>
/// <remarks>
/// Kafka lets two group members read a partition at once: one expelled from the group (its heartbeats timed out)
/// keeps fetching, and running what it fetches, until it hears it was expelled, while the partition's new owner
/// reads the same records from the last commit. Without a claim both ran each such job; the million-job chaos soak
/// caught a minute of it. A claim expires after twice the rule's timeout: a run ends within its timeout, the rest
/// covers writing its outcome, and a dispatcher killed mid-run holds its jobs no longer than that. A run stopped by
/// shutdown gives its claim back (<see cref="UnfinishedAsync"/>) so the next owner runs it at once.
/// </remarks>
internal sealed class RunClaims(IJobStateStore store, CourierTelemetry telemetry, TimeProvider time, ILogger logger) : IJobAdmission
{
    /// <inheritdoc/>
    public async ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var rule = request.Type.Rule;
        if (!rule.Dedupe.Enabled)
        {
            return AdmissionVerdict.Run;
        }
        var key = DedupKeys.RunClaim(request);
        var operation = "add";
        try
        {
            // Twice: a claim that expires between the failed add and the read is gone, and the second add takes it.
            for (var tries = 0; tries < 2; tries++)
            {
                operation = "add";
                if (await store.TryAddAsync(key, RunClaim.Now(time.GetUtcNow()).ToString(), Lifetime(rule), cancellationToken))
                {
                    return AdmissionVerdict.Run;
                }
                operation = "get";
                var held = await store.GetAsync(key, cancellationToken);
                if (RunClaim.Parse(held) is { } running)
                {
                    return AdmissionVerdict.WaitFor(rule.Retry.Delay,
                        $"the same record is running on {running.Owner} since {running.Start:O}") with { Claim = key };
                }
                if (held is not null)
                {
                    return AdmissionVerdict.Skip(SkippedStates.Deduplicated, $"this record of job {request.Event.Meta.Id} was already handled ({held})")
                        with { RetryReadAgain = request.HandledCountsAStart };
                }
            }
            return AdmissionVerdict.WaitFor(rule.Retry.Delay, "its run claim changed twice while it was read") with { Claim = key };
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, operation, request);
            return AdmissionVerdict.Run;
        }
    }

    /// <inheritdoc/>
    public async ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken)
    {
        var policy = request.Type.Rule.Dedupe;
        if (!policy.Enabled)
        {
            return;
        }
        try
        {
            // Deduplicated is what a read found, not what it did: the key keeps the real outcome (or the claim).
            var key = DedupKeys.RunClaim(request);
            if (outcome != SkippedStates.Deduplicated)
            {
                await store.SetAsync(key, outcome, policy.Window, cancellationToken);
            }
            // The event key tells later records of the job that it ended for good (see DedupCheck.EndsTheJob).
            var eventKey = DedupKeys.Event(request.Event, request.ReplayOf);
            if (DedupCheck.EndsTheJob(outcome) && !string.Equals(key, eventKey, StringComparison.Ordinal))
            {
                await store.SetAsync(eventKey, outcome, policy.Window, cancellationToken);
            }
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, "set", request);
        }
    }

    /// <inheritdoc/>
    public async ValueTask UnfinishedAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (!request.Type.Rule.Dedupe.Enabled)
        {
            return;
        }
        var key = DedupKeys.RunClaim(request);
        try
        {
            // Only this process's claim: one that another dispatcher took since (it read the record too) stays.
            if (RunClaim.Parse(await store.GetAsync(key, cancellationToken)) is { } claim && claim.Owner == RunClaim.ThisProcess)
            {
                await store.DeleteAsync(key, claim.ToString(), cancellationToken);
            }
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, "delete", request);
        }
    }

    /// <summary>How long a claim holds when its run never reports: twice the rule's timeout.</summary>
    private static TimeSpan Lifetime(JobRule rule) => rule.Timeout * 2;

}
