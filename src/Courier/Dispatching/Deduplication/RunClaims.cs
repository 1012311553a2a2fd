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
/// caught a minute of it. A claim lives a few seconds and is rewritten while its job runs (<see cref="HeldRunClaims"/>),
/// so a dispatcher killed mid-run holds its jobs for at most 30 s. A run stopped by shutdown, or whose outcome could
/// not be made durable, gives its claim back (<see cref="UnfinishedAsync"/>) so the next reader runs it at once.
/// </remarks>
internal sealed class RunClaims(IJobStateStore store, CourierTelemetry telemetry, TimeProvider time, ILogger logger) : IJobAdmission, IDisposable
{
    private readonly HeldRunClaims _held = new(store, telemetry, time, logger);

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
                var claim = RunClaim.Now(time.GetUtcNow()).ToString();
                if (await store.TryAddAsync(key, claim, HeldRunClaims.Lifetime(rule), cancellationToken))
                {
                    _held.Hold(key, claim, rule);
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
            await _held.ReleaseAsync(key);
            if (outcome != SkippedStates.Deduplicated)
            {
                await store.SetAsync(key, outcome, policy.Window, cancellationToken);
            }
            // The event key tells later records of the job that it ended for good (see DedupCheck.EndsTheJob). A first
            // read's claim key is its event key, just written; so is that of a copy that waited on a first read's run.
            if (request.IsRetry && DedupCheck.EndsTheJob(outcome)
                && DedupKeys.Event(request.Event, request.ReplayOf) is var eventKey && !string.Equals(key, eventKey, StringComparison.Ordinal))
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
            // Only the claim this read took: one another reader took since (after it lapsed) stays.
            if (await _held.ReleaseAsync(key) is { } claim)
            {
                await store.DeleteAsync(key, claim, cancellationToken);
            }
        }
        catch (JobStateStoreException e)
        {
            DedupLog.StoreFailed(logger, telemetry, store, e, "delete", request);
        }
    }

    public void Dispose() => _held.Dispose();

}
