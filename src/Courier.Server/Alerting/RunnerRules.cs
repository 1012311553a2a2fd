namespace Courier.Server.Alerting;

/// <summary>
/// The shipped rules' runner alerts, over the dispatcher-side counter <c>courier.runner.responses</c>: the share of a
/// type's requests to a pool answered 4xx (423, 429 and 499 excepted) or 5xx, over 5 minutes, at least
/// <see cref="WatcherSettings.FailingMinFailures"/> of them.
/// </summary>
internal static class RunnerRules
{
    private const string Responses = "courier.runner.responses";
    private const string Status = "http_response_status_code";
    private static readonly string[] By = ["job_type", "runner_pool"];

    /// <summary>The runner alerts: client and server errors, and a rolled-back canary.</summary>
    public static IEnumerable<WatcherRule> Create(WatcherSettings settings)
    {
        var min = settings.FailingMinFailures;
        yield return new WatcherRule("CourierRunnerClientErrors", "page", TimeSpan.FromMinutes(5),
            h => Errors(h, min, code => code.StartsWith('4') && code is not ("423" or "429" or "499")),
            r => $"Runners refuse {AlertText.Percentage(r.Value)} of requests with 4xx (type {r.Label("job_type")})",
            r => $"For 5 minutes more than 10 % of the requests of type {r.Label("job_type")} to runner pool "
                + $"{r.Label("runner_pool")} were answered 4xx: requests do not match what the runners accept (signing keys, "
                + "the protocol, the params). See courier_runner_responses_total by http_response_status_code and the "
                + "runners' courier_runner_signature_rejections_total.");

        yield return new WatcherRule("CourierRunnerServerErrors", "page", TimeSpan.FromMinutes(5),
            h => Errors(h, min, code => code.StartsWith('5')),
            r => $"Runners answer {AlertText.Percentage(r.Value)} of requests with 5xx (type {r.Label("job_type")})",
            r => $"For 5 minutes more than 10 % of the requests of type {r.Label("job_type")} to runner pool "
                + $"{r.Label("runner_pool")} were answered 5xx: the runners fail or are stopping (503). See the runners' "
                + "error log.");

        yield return new WatcherRule("CourierCanaryRolledBack", "page", TimeSpan.Zero,
            h => h.Gauge("courier.canary.weight", ["runner_pool", "release"], Math.Min).Values.Where(s => s.Value == 0),
            r => $"Canary release {r.Label("release")} of runner pool {r.Label("runner_pool")} was rolled back",
            r => $"The canary runners of pool {r.Label("runner_pool")} (release {r.Label("release")}) failed their judgement "
                + "against the stable runners and get no jobs; their failures were held and rerun on stable. "
                + "`courier canary status` names the job types, the verdict and the top errors; fix the release, then "
                + "`courier canary reset` the pool or restart with the new canary."
                + (settings.CanaryDetails?.Invoke(r.Label("runner_pool")) is { } details ? " " + details : ""));
    }

    private static IEnumerable<SeriesValue> Errors(SampleHistory history, int min, Func<string, bool> isError)
    {
        var window = TimeSpan.FromMinutes(5);
        var errors = history.Increase(Responses, window, By, l => l.TryGetValue(Status, out var code) && code.Length == 3 && isError(code));
        var all = history.Increase(Responses, window, By);
        foreach (var (key, e) in errors)
        {
            if (e.Value >= min && all.TryGetValue(key, out var a) && a.Value > 0 && e.Value / a.Value > 0.1)
            {
                yield return e with { Value = e.Value / a.Value };
            }
        }
    }
}
