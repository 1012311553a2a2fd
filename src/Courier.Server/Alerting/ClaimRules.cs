namespace Courier.Server.Alerting;

/// <summary>
/// The shipped rules' alert on claim TTLs: jobs abandoned because they were older than their rule's <c>claim_ttl</c>
/// or <c>root_claim_ttl</c> when reached (the original answered those with a silent success).
/// </summary>
internal static class ClaimRules
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);

    /// <summary>The one alert.</summary>
    public static IEnumerable<WatcherRule> Create()
    {
        yield return new WatcherRule("CourierJobsAbandoned", "ticket", TimeSpan.Zero,
            h => h.Increase("courier.jobs.outcomes", ThirtyMinutes, ["job_type"], l => l.TryGetValue("outcome", out var o) && o == "abandoned")
                .Values.Where(s => s.Value > 0),
            r => $"Jobs of type {r.Label("job_type")} were abandoned without running",
            r => $"{AlertText.Number(r.Value)} job(s) of type {r.Label("job_type")} were abandoned in the last 30 minutes: they were "
                + "older than the rule's claim_ttl or root_claim_ttl when the dispatcher reached them, so their work was never "
                + "done. The dispatcher fell that far behind (lag, a paused type, long retries); the warnings name each job "
                + "and its age.");
    }
}
