using Courier.Testing.Alerting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// Detection with real components: a dispatcher on each engine, Prometheus scraping its <c>/metrics</c> and evaluating
/// the shipped rules, Alertmanager, and a webhook where the page would go. A job type's handler breaks (the April 2019
/// deploy): the failing alert fires and is notified naming the type; the handler is fixed: it resolves and the
/// webhook hears that too.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EndToEndPrometheusTests(EndToEndFixture alerting)
{
    private const string JobType = "massMessage";

    // The fast detector of a type that fails on every execution (the 2019 deploy): no `for`, at least 5 failures in 1m.
    private const string FailingAlert = "CourierJobTypeFailing";

    /// <summary>After the fix, enough successes per earlier failure to bring every failure ratio window below the fast burn rate (14.4 %).</summary>
    private const int SuccessesPerFailure = 10;

    public static TheoryData<string> Engines => [.. EndToEndDispatcher.Engines];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ABrokenHandler_FiresTheFailingAlertThroughAlertmanager_AndItResolvesOnceFixed(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await alerting.StartAsync(ct);
        var webhook = alerting.Webhook;
        var prometheus = alerting.Prometheus;
        var deploy = new EndToEndDeploy();
        await using var dispatcher = await EndToEndDispatcher.StartAsync(engine, courier => courier
            .AddHandler(JobType, deploy)
            // Breaker off: it would stop the failures after 20 jobs, and these failures are what the alerts must see.
            .ConfigureDispatcher(d => d.Rules.Add(new JobRule { Type = JobType, Concurrency = 50, Retry = new RetryPolicy { Limit = 0 }, Breaker = BreakerPolicy.Off })), ct);
        var server = dispatcher.Server;
        async Task<string> State() =>
            $"Prometheus alerts: {string.Join("; ", await prometheus.AlertsAsync())}; failure ratios (5m, 1h): "
            + string.Join(", ", await prometheus.QueryAsync($"courier:job_failure_ratio:rate5m{{job_type=\"{JobType}\"}}"))
            + string.Join(", ", await prometheus.QueryAsync($"courier:job_failure_ratio:rate1h{{job_type=\"{JobType}\"}}"))
            + $"; handler threw {deploy.Thrown}, succeeded {deploy.Succeeded}";
        var seen = webhook.Received.Count;
        var load = EndToEndLoad.Start(server.Client, JobType);
        int burst;
        await using (load)
        {
            await prometheus.ScrapeAsync(dispatcher.MetricsUrl);

            var firing = await webhook.WaitForAsync(seen, a => a.Status == "firing" && IsFailingAlert(a.Labels, dispatcher),
                $"a firing {FailingAlert} for {JobType}", EndToEndFixture.AlertBound, State);
            Assert.Equal(EndToEndFixture.Service, firing.Label("service"));
            Assert.Equal("page", firing.Label("severity"));
            Assert.Contains(JobType, firing.Annotations["summary"], StringComparison.Ordinal);
            Assert.True(deploy.Thrown > 0, "the alert fired though the handler never threw");
            Assert.Equal(0, deploy.Succeeded);

            deploy.Fix();
            burst = SuccessesPerFailure * deploy.Thrown;
            await load.BurstAsync(server.Client, JobType, burst, ct);
            await Eventually.TrueAsync(async () => !(await prometheus.AlertsAsync()).Any(a => IsFailingAlert(a.Labels, dispatcher)),
                $"Prometheus no longer holds {FailingAlert} for {JobType}", EndToEndFixture.AlertBound, async () => await State());
            await webhook.WaitForAsync(seen, a => a.Status == "resolved" && IsFailingAlert(a.Labels, dispatcher), $"{FailingAlert} for {JobType} resolved", EndToEndFixture.AlertBound, State);
        }

        // What happened really happened: every job enqueued ran, those before the fix threw and were dead-lettered, and
        // Prometheus scraped the dispatcher's counts of it.
        await Eventually.TrueAsync(() => deploy.Thrown + deploy.Succeeded == load.Enqueued, "every enqueued job was handled",
            state: () => $"enqueued {load.Enqueued}, thrown {deploy.Thrown}, succeeded {deploy.Succeeded}");
        Assert.True(deploy.Succeeded >= burst, $"only {deploy.Succeeded} jobs succeeded after the fix, fewer than the {burst} enqueued at once");
        await Eventually.TrueAsync(() => server.Dispatcher.GetStats().Single(s => s.Type == JobType).DeadLettered == deploy.Thrown,
            "the dispatcher dead-lettered each job the handler threw on");
        var failed = $"sum(courier_jobs_outcomes_total{{job_type=\"{JobType}\",outcome=\"dead_lettered\",instance=\"{dispatcher.MetricsUrl.Authority}\"}})";
        await Eventually.TrueAsync(async () => (await prometheus.QueryAsync(failed)).SingleOrDefault()?.Value == deploy.Thrown,
            $"Prometheus counted {deploy.Thrown} dead-lettered {JobType} jobs", EndToEndFixture.AlertBound,
            async () => string.Join("; ", (await prometheus.QueryAsync(failed)).Select(s => s.Value)));
    }

    /// <summary>This dispatcher's alert: the rules judge each instance on its own counts, so an earlier test's is another.</summary>
    private static bool IsFailingAlert(IReadOnlyDictionary<string, string> labels, EndToEndDispatcher dispatcher) =>
        labels.GetValueOrDefault("alertname") == FailingAlert && labels.GetValueOrDefault("job_type") == JobType
        && labels.GetValueOrDefault("instance") == dispatcher.MetricsUrl.Authority;
}
