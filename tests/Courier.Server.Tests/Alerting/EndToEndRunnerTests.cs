using Courier.Testing.Alerting;
using Courier.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// Detection of a runner pool that refuses every job, with real components (the 2019-06-19 case: MediaWiki's job
/// runners answered 400 to a change of the requests): a dispatcher sends a type to a pool in <c>mode: mediawiki</c>
/// whose RunSingleJob.php stand-in answers 400 to everything; Prometheus, scraping the dispatcher's own count of runner
/// answers with the shipped rules, fires the runner client-error alert through Alertmanager to the webhook; so does the
/// dispatcher's built-in watcher, sending to the same Alertmanager (its alerts lack Prometheus' external label).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EndToEndRunnerTests(EndToEndFixture alerting)
{
    private const string JobType = "refreshLinks";
    private const string Pool = "mediawiki";
    private const string ClientErrorsAlert = "CourierRunnerClientErrors";

    /// <summary>The dispatcher's count of runner answers, which the runner alerts read (a stand-in has no meter of its own).</summary>
    private const string ResponsesMetric = "courier_runner_responses_total";

    [Fact]
    public async Task ARunnerPoolAnswering400ToEverything_FiresTheRunnerClientErrorAlert()
    {
        var ct = TestContext.Current.CancellationToken;
        await alerting.StartAsync(ct);
        var webhook = alerting.Webhook;
        var prometheus = alerting.Prometheus;
        var refused = 0;
        await using var runSingleJob = await LoopbackApp.StartAsync(app => app.Run(context =>
        {
            Interlocked.Increment(ref refused);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }), cancellationToken: ct);
        await using var dispatcher = await EndToEndDispatcher.StartAsync("sqlite", courier => courier.ConfigureDispatcher(d =>
        {
            d.RunnerPools.Add(new RunnerPoolOptions { Name = Pool, Mode = RunnerMode.MediaWiki, Urls = { new Uri(runSingleJob.BaseUrl, "/rpc/RunSingleJob.php") } });
            // Breaker off: it would stop the requests after 20 failures, and these answers are what the alert must see.
            d.Rules.Add(new JobRule { Type = JobType, Runner = Pool, Retry = new RetryPolicy { Limit = 0 }, Breaker = BreakerPolicy.Off });
        }), ct, alerting.WatcherConfig());
        var seen = webhook.Received.Count;
        await using var load = EndToEndLoad.Start(dispatcher.Server.Client, JobType);
        await prometheus.ScrapeAsync(dispatcher.MetricsUrl);

        // It really happened: the stand-in answered 400s and the dispatcher dead-lettered the jobs it refused.
        long DeadLettered() => dispatcher.Server.Dispatcher.GetStats().SingleOrDefault(s => s.Type == JobType)?.DeadLettered ?? 0;
        await Eventually.TrueAsync(() => Volatile.Read(ref refused) >= 5 && DeadLettered() >= 5,
            "the stand-in answered 400 to jobs and the dispatcher dead-lettered them",
            state: () => $"refused {Volatile.Read(ref refused)}, dead-lettered {DeadLettered()}");
        var rules = await File.ReadAllTextAsync(Path.Combine(Promtool.RulesDirectory, "courier.rules.yml"), ct);
        if (!rules.Contains(ResponsesMetric, StringComparison.Ordinal))
        {
            Assert.Skip($"the shipped {ClientErrorsAlert} does not read {ResponsesMetric} yet (the dispatcher-side count of runner answers, "
                + "issue 11's signals): it reads the runners' own courier_runner_requests_total, which a stand-in does not export");
        }

        var responses = $"sum({ResponsesMetric}{{job_type=\"{JobType}\",runner_pool=\"{Pool}\",http_response_status_code=\"400\",instance=\"{dispatcher.MetricsUrl.Authority}\"}})";
        await Eventually.TrueAsync(async () => (await prometheus.QueryAsync(responses)).SingleOrDefault()?.Value >= 5,
            $"Prometheus scraped the dispatcher's count of 400 answers", EndToEndFixture.AlertBound,
            async () => string.Join("; ", await prometheus.QueryAsync(responses)));
        bool Firing(WebhookAlert a) => a.Status == "firing" && a.Label("alertname") == ClientErrorsAlert && a.Label("job_type") == JobType;
        var fromPrometheus = await webhook.WaitForAsync(seen,
            a => Firing(a) && a.Label(PrometheusProcess.OriginLabel) == PrometheusProcess.Origin && a.Label("instance") == dispatcher.MetricsUrl.Authority,
            $"Prometheus' firing {ClientErrorsAlert} for {JobType}", EndToEndFixture.AlertBound);
        var builtIn = await webhook.WaitForAsync(seen,
            a => Firing(a) && a.Label(PrometheusProcess.OriginLabel) is null && a.Label("instance") == Environment.MachineName,
            $"the built-in watcher's firing {ClientErrorsAlert} for {JobType}", EndToEndFixture.AlertBound);
        Assert.All([fromPrometheus, builtIn], firing =>
        {
            Assert.Equal(Pool, firing.Label("runner_pool"));
            Assert.Equal(EndToEndFixture.Service, firing.Label("service"));
            Assert.Equal("page", firing.Label("severity"));
        });
    }
}
