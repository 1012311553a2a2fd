using Courier.Dispatching.Admission;

namespace Courier.Dispatching.Claims;

/// <summary>
/// Abandons a job that is older than its rule's <see cref="JobRule.ClaimTtl"/> or whose root job is older than its
/// <see cref="JobRule.RootClaimTtl"/> when the dispatcher reaches it (the original's <c>claim_ttl</c> and
/// <c>root_claim_ttl</c>): its work is assumed stale or redone by now. Needs no state store.
/// </summary>
/// <remarks>
/// The original answered such a job with a silent 200: nothing was logged or counted apart from success. Here it ends
/// as <see cref="SkippedStates.Abandoned"/>, counted, logged as a warning with both ages, and alerted on
/// (<c>CourierJobsAbandoned</c>). The original also counted <c>claim_ttl</c> from <c>meta.dt</c> even for a delayed job,
/// so a job delayed past its own TTL was abandoned the moment it came due; here the age of a delayed job counts from
/// its <c>delay_until</c>; and a replayed dead letter's age counts from its replay.
/// </remarks>
internal sealed class ClaimTtlCheck(TimeProvider time) : IJobAdmission
{
    /// <inheritdoc/>
    public ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var rule = request.Type.Rule;
        var job = request.Event;
        if (rule.ClaimTtl is null && (rule.RootClaimTtl is null || job.RootEvent is null))
        {
            return ValueTask.FromResult(AdmissionVerdict.Run); // nothing to check: not even the clock is read
        }
        var now = time.GetUtcNow();
        if (rule.ClaimTtl is { } claimTtl)
        {
            var (due, since) = job.DelayUntil is { } delayUntil && delayUntil > job.Meta.Dt ? (delayUntil, "delay_until") : (job.Meta.Dt, "meta.dt");
            if (Replayed(request) is { } replayed && replayed > due)
            {
                (due, since) = (replayed, "its replay");
            }
            var age = now - due;
            if (age > claimTtl)
            {
                return ValueTask.FromResult(AdmissionVerdict.Skip(SkippedStates.Abandoned,
                    $"job is {Age(age)} old (since {since}), more than claim_ttl {Age(claimTtl)}"));
            }
        }
        if (rule.RootClaimTtl is { } rootClaimTtl && job.RootEvent is { } root)
        {
            var age = now - (Replayed(request) is { } replayed && replayed > root.Dt ? replayed : root.Dt);
            if (age > rootClaimTtl)
            {
                return ValueTask.FromResult(AdmissionVerdict.Skip(SkippedStates.Abandoned,
                    $"root job {root.Signature} is {Age(age)} old, more than root_claim_ttl {Age(rootClaimTtl)}"));
            }
        }
        return ValueTask.FromResult(AdmissionVerdict.Run);
    }

    /// <summary>
    /// When a replayed copy was appended (its record's time), or null for a job that is not a replay: a dead letter
    /// replayed after the fix is as fresh as the replay, or every replay of a job older than its TTL would be abandoned.
    /// </summary>
    private static DateTimeOffset? Replayed(AdmissionRequest request) => request.ReplayOf is null ? null : request.Record.Timestamp;

    /// <inheritdoc/>
    public ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>An age for a log line, to the second (e.g. <c>7.02:03:04</c>).</summary>
    private static string Age(TimeSpan age) => TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds)).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
