namespace Courier.Server.Alerting;

/// <summary>The shipped rules' alerts on synthetic probes: a type's probes failing, and a probe that stopped reporting.</summary>
internal static class ProbeRules
{
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private static readonly string[] ByType = ["job_type"];

    /// <summary>The two alerts.</summary>
    public static IEnumerable<WatcherRule> Create()
    {
        yield return new WatcherRule("CourierProbeFailing", "page", TimeSpan.Zero,
            Failing,
            r => $"Probes of job type {r.Label("job_type")} are failing",
            r => $"{AlertText.Number(r.Value)} synthetic probe(s) of type {r.Label("job_type")} failed in the last 2 minutes and none "
                + "succeeded: the release running the type cannot run it, even with no traffic. `courier up` and GET /v1/probes "
                + "show the last failure's message and release; roll that release back.");

        yield return new WatcherRule("CourierProbeMissing", "ticket", TimeSpan.Zero,
            h => h.Gauge("courier.probes.missing", ByType, Math.Max).Values.Where(s => s.Value > 0),
            r => $"Probes of job type {r.Label("job_type")} report no result",
            r => $"The dispatcher probes type {r.Label("job_type")} but no probe result has come in for three intervals: the "
                + "probe path itself is broken (the probe cannot be written, the type is paused, or its executor never answers).");
    }

    /// <summary>Types with two or more failed probes and no successful one in 2 minutes, valued with the failures.</summary>
    private static IEnumerable<SeriesValue> Failing(SampleHistory history)
    {
        var failed = history.Increase("courier.probes.results", TwoMinutes, ByType, l => l.TryGetValue("result", out var r) && r == "failed");
        var succeeded = history.Increase("courier.probes.results", TwoMinutes, ByType, l => l.TryGetValue("result", out var r) && r == "succeeded");
        return failed.Where(f => f.Value.Value >= 2 && !(succeeded.TryGetValue(f.Key, out var s) && s.Value > 0)).Select(f => f.Value);
    }
}
