using Courier.Server.Alerting;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The watcher's rules, history and alert states over constructed snapshots (a clock the test moves): the runner
/// <c>CourierJobTypeFailing</c> at the fast burn threshold; the runner alerts on the dispatcher-side counter with their exclusions, minimum count and <c>for</c>; resolved alerts kept
/// 15 minutes; the state store's errors; the history's bound.
/// </summary>
public sealed class WatcherRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RunnerErrors_FireAfterTheirFor_NotOnBackpressure_NorOnOneRefusalOfAQuietType()
    {
        var watch = new Watch(RunnerRules.Create(new WatcherSettings()));
        var counts = new Dictionary<(string Type, string Code), double>();
        IReadOnlyList<Alert> at5m = [];
        for (var step = 1; step <= 13; step++)
        {
            void Add(string type, string code, double by) => counts[(type, code)] = counts.GetValueOrDefault((type, code)) + by;
            Add("refreshLinks", "400", 10);
            Add("refreshLinks", "200", 10);
            Add("massMessage", "429", 10);
            Add("massMessage", "499", 10);
            Add("massMessage", "200", 10);
            Add("htmlCacheUpdate", "503", 5);
            Add("htmlCacheUpdate", "200", 5);
            if (step == 1)
            {
                Add("lowTraffic", "400", 1);
                Add("lowTraffic", "200", 1);
            }
            watch.Step(T0 + step * TimeSpan.FromSeconds(30), counts.Select(c => ("courier.runner.responses",
                new Dictionary<string, string> { ["job_type"] = c.Key.Type, ["runner_pool"] = "mw", ["http_response_status_code"] = c.Key.Code },
                c.Value)));
            if (step == 10)
            {
                at5m = watch.Book.Alerts();
            }
        }

        Assert.Empty(at5m);
        var alerts = watch.Book.Alerts();
        Assert.Equal(
            [("CourierRunnerClientErrors", "refreshLinks"), ("CourierRunnerServerErrors", "htmlCacheUpdate")],
            alerts.Select(a => (a.Name, a.Labels["job_type"])));
        Assert.All(alerts, a => Assert.Equal("mw", a.Labels["runner_pool"]));
        Assert.Equal("Runners refuse 50% of requests with 4xx (type refreshLinks)", alerts[0].Summary);
        Assert.Equal(T0 + TimeSpan.FromSeconds(30), alerts[0].Since);
    }

    [Fact]
    public void JobTypeFailing_FiresOnTheSecondFailingEvaluation_OfAPreviouslyHealthyType_OverTheFastBurnThreshold()
    {
        // Every 5 s: refreshLinks runs 12 jobs, healthy for 10 minutes, then every one fails; massMessage fails 20 %
        // (over 14.4 % of the 1 % budget); htmlCacheUpdate 1 %; lowTraffic 1 of its 2 jobs a minute (too few failures).
        var watch = new Watch(FailureRatioRules.Create(new WatcherSettings()));
        var counts = new Dictionary<(string Type, string Outcome), double>();
        void Add(string type, string outcome, double by) => counts[(type, outcome)] = counts.GetValueOrDefault((type, outcome)) + by;
        var firstFailing = 121;
        var firedAt = new List<(int Step, string Type)>();
        for (var step = 1; step <= firstFailing + 1; step++)
        {
            Add("refreshLinks", step < firstFailing ? "succeeded" : "dead_lettered", 12);
            Add("massMessage", "succeeded", 8);
            Add("massMessage", "retried", 2);
            Add("htmlCacheUpdate", "succeeded", 99);
            Add("htmlCacheUpdate", "retried", 1);
            Add("lowTraffic", step % 12 == 0 ? "dead_lettered" : "succeeded", step % 6 == 0 ? 1 : 0);
            watch.Step(T0 + step * TimeSpan.FromSeconds(5), counts.Select(c => ("courier.jobs.outcomes",
                new Dictionary<string, string> { ["job_type"] = c.Key.Type, ["outcome"] = c.Key.Outcome }, c.Value)));
            firedAt.AddRange(watch.Book.Alerts().Where(a => a.Name == "CourierJobTypeFailing" && a.State == AlertState.Firing
                && !firedAt.Any(f => f.Type == a.Labels["job_type"]))
                .Select(a => (step, a.Labels["job_type"])));
        }

        // massMessage once it has 5 failures (the third step); refreshLinks: 1 failing step of 12 in the minute is
        // 8.3 %, 2 are 16.7 %: over 14.4 % ten seconds after the break.
        Assert.Equal([(3, "massMessage"), (firstFailing + 1, "refreshLinks")], firedAt);
        var failing = watch.Book.Alerts().Single(a => a.Labels["job_type"] == "refreshLinks");
        Assert.Equal("CourierJobTypeFailing", failing.Name);
        Assert.Equal("Jobs of type refreshLinks are failing (16.67% over 1m)", failing.Summary);
        Assert.StartsWith("refreshLinks failed 16.67% of its executions in the last minute, over 14.4 times the error budget and at least 5",
            failing.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvedAlert_StaysListedFifteenMinutes_ThenIsDropped()
    {
        var watch = new Watch(PipelineRules.Create());
        var decode = ("courier.jobs.decode_failures", new Dictionary<string, string> { ["job_type"] = "a", ["reason"] = "executor" }, 1.0);
        watch.Step(T0, [decode]);
        Assert.Equal(AlertState.Firing, Assert.Single(watch.Book.Alerts()).State);

        watch.Step(T0 + TimeSpan.FromMinutes(6), [decode]);
        var resolved = Assert.Single(watch.Book.Alerts());
        watch.Step(T0 + TimeSpan.FromMinutes(20), [decode]);
        var stillListed = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(21), [decode]);

        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(T0 + TimeSpan.FromMinutes(6), resolved.ResolvedAt);
        Assert.Single(stillListed);
        Assert.Empty(watch.Book.Alerts());
    }

    [Fact]
    public void OldestPending_FiresAfterFiveMinutes_WithTheAgeAsPrometheusHumanizesIt()
    {
        var watch = new Watch(PipelineRules.Create());
        var age = ("courier.jobs.oldest_pending_age", new Dictionary<string, string> { ["job_type"] = "refreshLinks" }, 1000.0);
        var young = ("courier.jobs.oldest_pending_age", new Dictionary<string, string> { ["job_type"] = "massMessage" }, 100.0);
        watch.Step(T0, [age, young]);
        watch.Step(T0 + TimeSpan.FromMinutes(4), [age, young]);
        var before = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(5), [age, young]);

        Assert.Empty(before);
        Assert.Equal("The oldest pending job of type refreshLinks is 16m 40s old", Assert.Single(watch.Book.Alerts()).Summary);
    }

    [Fact]
    public void StateStoreErrors_TicketAfterFiveMinutesOfFailures_NotForAStoreThatFailedOnceLongAgo()
    {
        // As the promtool test: Redis fails 3 operations a minute from the second minute on; the embedded store's 5
        // errors are old.
        var watch = new Watch(StateRules.Create());
        IReadOnlyList<Alert> at4m = [];
        for (var minute = 0; minute <= 12; minute++)
        {
            watch.Step(T0 + TimeSpan.FromMinutes(minute),
            [
                ("courier.state.errors", new Dictionary<string, string> { ["store"] = "redis", ["operation"] = "add" }, 3.0 * Math.Max(0, minute - 1)),
                ("courier.state.errors", new Dictionary<string, string> { ["store"] = "embedded", ["operation"] = "get" }, 5.0),
            ]);
            if (minute == 4)
            {
                at4m = watch.Book.Alerts();
            }
        }

        Assert.Empty(at4m);
        var alert = Assert.Single(watch.Book.Alerts());
        Assert.Equal(("CourierStateStoreErrors", "redis", "ticket"), (alert.Name, alert.Labels["store"], alert.Labels["severity"]));
        Assert.Equal("The redis state store is failing", alert.Summary);
        Assert.Contains("(0.05 a second)", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Paused_FiresAfterFifteenMinutes_ForATypeStillPaused_NotForOneResumed()
    {
        var watch = new Watch(PipelineRules.Create());
        (string, Dictionary<string, string>, double) Paused(string type, double value) =>
            ("courier.jobs.paused", new Dictionary<string, string> { ["job_type"] = type }, value);
        watch.Step(T0, [Paused("refreshLinks", 1), Paused("massMessage", 1), Paused("htmlCacheUpdate", 0)]);
        watch.Step(T0 + TimeSpan.FromMinutes(10), [Paused("refreshLinks", 1), Paused("massMessage", 0), Paused("htmlCacheUpdate", 0)]);
        watch.Step(T0 + TimeSpan.FromMinutes(14), [Paused("refreshLinks", 1), Paused("massMessage", 1), Paused("htmlCacheUpdate", 0)]);
        var before = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(15), [Paused("refreshLinks", 1), Paused("massMessage", 1), Paused("htmlCacheUpdate", 0)]);

        Assert.Empty(before);
        var alert = Assert.Single(watch.Book.Alerts());
        Assert.Equal("Job type refreshLinks is paused", alert.Summary);
        Assert.Equal("ticket", alert.Labels["severity"]);
    }

    [Fact]
    public void ProbeFailing_FiresForATypeWithTwoFailedProbesAndNoSuccess_ProbeMissing_ForAProbeWithoutResults()
    {
        var watch = new Watch(ProbeRules.Create());
        (string, Dictionary<string, string>, double) Result(string type, string result, double value) =>
            ("courier.probes.results", new Dictionary<string, string> { ["job_type"] = type, ["result"] = result, ["release"] = "r2" }, value);
        (string, Dictionary<string, string>, double) Missing(string type, double value) =>
            ("courier.probes.missing", new Dictionary<string, string> { ["job_type"] = type }, value);
        for (var minute = 0; minute <= 4; minute++)
        {
            watch.Step(T0 + TimeSpan.FromMinutes(minute), [
                Result("massMessage", "failed", 2 * minute),
                Result("htmlCacheUpdate", "failed", 2 * minute), Result("htmlCacheUpdate", "succeeded", minute),
                Result("refreshLinks", "failed", Math.Min(minute, 1)),
                Missing("cirrusSearch", minute >= 3 ? 1 : 0), Missing("massMessage", 0)]);
        }

        var alerts = watch.Book.Alerts().OrderBy(a => a.Summary, StringComparer.Ordinal).ToList();
        Assert.Equal(["Probes of job type cirrusSearch report no result", "Probes of job type massMessage are failing"],
            alerts.Select(a => a.Summary));
        Assert.Equal(["ticket", "page"], alerts.Select(a => a.Labels["severity"]));
        Assert.StartsWith("4 synthetic probe(s) of type massMessage failed", alerts[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CanaryRolledBack_Fires_ForACanaryAtWeightZero_NamingItsPoolAndRelease()
    {
        var watch = new Watch(RunnerRules.Create(new WatcherSettings
        {
            CanaryDetails = pool => pool == "jobrunners" ? "Job types: alpha; top errors: 9× boom." : null,
        }));
        (string, Dictionary<string, string>, double) Weight(string pool, string release, double value) =>
            ("courier.canary.weight", new Dictionary<string, string> { ["runner_pool"] = pool, ["release"] = release }, value);
        watch.Step(T0, [Weight("jobrunners", "wmf.13", 10), Weight("mw", "wmf.14", 50)]);
        var before = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(1), [Weight("jobrunners", "wmf.13", 0), Weight("mw", "wmf.14", 100)]);

        Assert.Empty(before);
        var alert = Assert.Single(watch.Book.Alerts());
        Assert.Equal("Canary release wmf.13 of runner pool jobrunners was rolled back", alert.Summary);
        Assert.Equal("page", alert.Labels["severity"]);
        Assert.Equal("wmf.13", alert.Labels["release"]);
        Assert.EndsWith("restart with the new canary. Job types: alpha; top errors: 9× boom.", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void BreakerOpen_PagesAfterAMinuteOpenOrHalfOpen_NotForABreakerThatClosed()
    {
        var watch = new Watch(PipelineRules.Create());
        (string, Dictionary<string, string>, double) State(string type, double value) =>
            ("courier.breaker.state", new Dictionary<string, string> { ["job_type"] = type }, value);
        watch.Step(T0, [State("massMessage", 1), State("refreshLinks", 1), State("htmlCacheUpdate", 0)]);
        watch.Step(T0 + TimeSpan.FromSeconds(30), [State("massMessage", 2), State("refreshLinks", 0), State("htmlCacheUpdate", 0)]);
        watch.Step(T0 + TimeSpan.FromSeconds(45), [State("massMessage", 1), State("refreshLinks", 1), State("htmlCacheUpdate", 0)]);
        var before = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(1), [State("massMessage", 1), State("refreshLinks", 1), State("htmlCacheUpdate", 0)]);

        Assert.Empty(before);
        var alert = Assert.Single(watch.Book.Alerts());
        Assert.Equal("The circuit breaker of job type massMessage is open", alert.Summary);
        Assert.Equal("page", alert.Labels["severity"]);
    }

    [Fact]
    public void JobsAbandoned_OpensATicketForATypeThatAbandonedJobs_NotForOtherOutcomes()
    {
        var watch = new Watch(ClaimRules.Create());
        (string, Dictionary<string, string>, double) Outcome(string type, string outcome, double value) =>
            ("courier.jobs.outcomes", new Dictionary<string, string> { ["job_type"] = type, ["outcome"] = outcome, ["release"] = "r1" }, value);
        watch.Step(T0, [Outcome("refreshLinks", "succeeded", 10), Outcome("htmlCacheUpdate", "deduplicated", 5)]);
        watch.Step(T0 + TimeSpan.FromMinutes(1), [Outcome("refreshLinks", "succeeded", 20), Outcome("htmlCacheUpdate", "deduplicated", 50)]);
        var before = watch.Book.Alerts();
        watch.Step(T0 + TimeSpan.FromMinutes(2), [Outcome("refreshLinks", "succeeded", 30), Outcome("refreshLinks", "abandoned", 3),
            Outcome("htmlCacheUpdate", "deduplicated", 90)]);

        Assert.Empty(before);
        var alert = Assert.Single(watch.Book.Alerts());
        Assert.Equal("Jobs of type refreshLinks were abandoned without running", alert.Summary);
        Assert.Equal("ticket", alert.Labels["severity"]);
        Assert.StartsWith("3 job(s) of type refreshLinks were abandoned in the last 30 minutes", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void History_IsBounded_AndThinsOldSamplesToOneAMinute()
    {
        var history = new SampleHistory();
        for (var t = TimeSpan.Zero; t <= TimeSpan.FromHours(8); t += TimeSpan.FromSeconds(5))
        {
            history.Add(MetricSnapshot.Empty(T0 + t));
        }

        // 10 minutes at 5 s, then one a minute back to 6 h and one step.
        Assert.InRange(history.Count, 120, 10 * 12 + 6 * 60 + 2);
    }

    /// <summary>A history and an alert book stepped by hand, as the watcher's loop does.</summary>
    private sealed class Watch(IEnumerable<WatcherRule> rules)
    {
        private readonly WatcherRule[] _rules = [.. rules];
        private readonly SampleHistory _history = new();

        public AlertBook Book { get; } = new(new Dictionary<string, string> { ["service"] = "courier", ["instance"] = "h" });

        public void Step(DateTimeOffset at, IEnumerable<(string Metric, Dictionary<string, string> Labels, double Value)> series)
        {
            var metrics = series.GroupBy(s => s.Metric).ToDictionary(g => g.Key,
                g => (IReadOnlyDictionary<string, SeriesValue>)g.ToDictionary(s => SeriesValue.KeyOf(s.Labels), s => new SeriesValue(s.Labels, s.Value)));
            _history.Add(new MetricSnapshot(at, metrics));
            Book.Update(at, _rules.SelectMany(r => r.Evaluate(_history).Select(m => (r, m))));
        }
    }
}
