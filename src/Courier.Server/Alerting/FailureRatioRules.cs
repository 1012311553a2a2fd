namespace Courier.Server.Alerting;

/// <summary>
/// The failure-ratio alerts of the shipped rules: <c>CourierJobTypeFailing</c> (the fast detector) and the burn-rate
/// pair, all over multiples of <see cref="WatcherSettings.FailureBudget"/>. A failure is an execution that ended <c>retried</c> or <c>dead_lettered</c>; backpressure is not an
/// execution. Each needs <see cref="WatcherSettings.FailingMinFailures"/> failures in its short window.
/// </summary>
internal static class FailureRatioRules
{
    private const string Outcomes = "courier.jobs.outcomes";
    private static readonly string[] ByType = ["job_type"];

    /// <summary>The three alerts with the settings' thresholds.</summary>
    public static IEnumerable<WatcherRule> Create(WatcherSettings settings)
    {
        var min = settings.FailingMinFailures;
        var failing = settings.FailingThreshold;
        var over = settings.FailingRatio is null ? "14.4 times the error budget" : $"the configured {AlertText.Percentage(failing)}";
        yield return new WatcherRule("CourierJobTypeFailing", "page", TimeSpan.Zero,
            h => Ratios(h, TimeSpan.FromMinutes(1), min).Where(r => r.Value > failing),
            r => $"Jobs of type {r.Label("job_type")} are failing ({AlertText.Percentage(r.Value)} over 1m)",
            r => $"{r.Label("job_type")} failed {AlertText.Percentage(r.Value)} of its executions in the last minute, over "
                + $"{over} and at least {min} of them: the handler or the runner is broken for this type. Look at "
                + $"courier_jobs_outcomes_total{{job_type=\"{r.Label("job_type")}\"}} by failure_class and release, and at the "
                + "dispatcher's warnings for this type.");

        var fast = WatcherSettings.FastBurnRate * settings.FailureBudget;
        yield return new WatcherRule("CourierJobFailureBudgetBurnFast", "page", TimeSpan.Zero,
            h => Burning(h, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), fast, min),
            r => $"Jobs of type {r.Label("job_type")} are failing fast ({AlertText.Percentage(r.Value)} over 5m)",
            r => $"{r.Label("job_type")} fails {AlertText.Percentage(r.Value)} of its executions over the last 5 minutes, "
                + "and over 14.4 times the error budget over the last hour too: at this rate the budget is spent in about two "
                + $"days. Look at courier_jobs_outcomes_total{{job_type=\"{r.Label("job_type")}\"}} by failure_class and at the "
                + "dispatcher's warnings for this type (a broken handler or runner).");

        var slow = 6 * settings.FailureBudget;
        yield return new WatcherRule("CourierJobFailureBudgetBurnSlow", "ticket", TimeSpan.Zero,
            h => Burning(h, TimeSpan.FromMinutes(30), TimeSpan.FromHours(6), slow, min),
            r => $"Jobs of type {r.Label("job_type")} fail above budget ({AlertText.Percentage(r.Value)} over 30m)",
            r => $"{r.Label("job_type")} fails {AlertText.Percentage(r.Value)} of its executions over the last 30 minutes, "
                + "and over 6 times the error budget over the last 6 hours too: the budget is spent in about five days.");
    }

    /// <summary>Types over the ratio in both windows, valued with the short window's ratio.</summary>
    private static IEnumerable<SeriesValue> Burning(SampleHistory history, TimeSpan shortWindow, TimeSpan longWindow, double over, int min)
    {
        var longRatios = Ratios(history, longWindow, 0).ToDictionary(r => SeriesValue.KeyOf(r.Labels));
        return Ratios(history, shortWindow, min)
            .Where(r => r.Value > over && longRatios.TryGetValue(SeriesValue.KeyOf(r.Labels), out var l) && l.Value > over);
    }

    /// <summary>Failed / executed per type over a window, for types with at least <paramref name="minFailures"/> failures.</summary>
    private static IEnumerable<SeriesValue> Ratios(SampleHistory history, TimeSpan window, int minFailures)
    {
        var failed = history.Increase(Outcomes, window, ByType, l => l.TryGetValue("outcome", out var o) && o is "retried" or "held" or "dead_lettered");
        var executed = history.Increase(Outcomes, window, ByType, l => !(l.TryGetValue("outcome", out var o) && o == "backpressure"));
        foreach (var (key, f) in failed)
        {
            if (f.Value > 0 && f.Value >= minFailures && executed.TryGetValue(key, out var e) && e.Value > 0)
            {
                yield return f with { Value = f.Value / e.Value };
            }
        }
    }
}
