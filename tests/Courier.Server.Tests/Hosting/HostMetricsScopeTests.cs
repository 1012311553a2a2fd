using Courier.Server.Alerting;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Alerting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary>
/// Two hosts of the same kind in one process each export only their own instruments: a dispatcher service's
/// <c>/metrics</c> and built-in watcher, and a runner host's <c>/metrics</c>, show nothing the other host recorded,
/// though both create a meter of the same name.
/// </summary>
public sealed class HostMetricsScopeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoDispatcherServices_EachExportAndWatchOnlyTheirOwnOutcomes()
    {
        var ct = TestContext.Current.CancellationToken;
        // The same type on both, so only the host a measurement came from can tell them apart.
        var type = "scoped" + Guid.NewGuid().ToString("N")[..8];
        using var busyDir = new TempDirectory("metrics-scope");
        using var idleDir = new TempDirectory("metrics-scope");
        await using var busy = await StartServerAsync(busyDir, type, ct);
        await using var idle = await StartServerAsync(idleDir, type, ct);
        using var busyHttp = new HttpClient { BaseAddress = busy.BaseUrl };
        using var idleHttp = new HttpClient { BaseAddress = idle.BaseUrl };

        for (var i = 0; i < 3; i++)
        {
            await busy.Client.EnqueueAsync(new JobRequest { Type = type, Database = "enwiki", Params = new { n = i } }, ct);
        }
        await Eventually.TrueAsync(async () => OutcomeLines(await ScrapeAsync(busyHttp, ct), type).Length == 1,
            "the busy service's outcome was on its /metrics", Bound);

        // Each measurement reaches every reader it is going to reach while it is recorded: once the busy service's
        // exporter has it, the idle service's exporter and watcher would have it too if they listened to it.
        var idleMetrics = await ScrapeAsync(idleHttp, ct);
        Assert.Empty(OutcomeLines(idleMetrics, type));
        Assert.Single(WatchedOutcomes(busy, type));
        Assert.Empty(WatchedOutcomes(idle, type));
        // The idle service still exports its own instruments (its watcher's gauge, from the same meter factory).
        Assert.Contains("courier_alerts_firing{", idleMetrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoRunnerHosts_EachExportOnlyTheirOwnRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        using var busyDir = new TempDirectory("metrics-scope");
        using var idleDir = new TempDirectory("metrics-scope");
        await using var busy = await StartRunnerAsync(busyDir, ct);
        await using var idle = await StartRunnerAsync(idleDir, ct);
        using var busyHttp = new HttpClient { BaseAddress = busy.BaseUrl };
        using var idleHttp = new HttpClient { BaseAddress = idle.BaseUrl };

        // An unsigned request: refused with 403 and counted as a signature rejection, by the busy runner only.
        using var refused = await busyHttp.PostAsync(busy.RunnerUrl, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        await Eventually.TrueAsync(async () => RejectionLines(await ScrapeAsync(busyHttp, ct)).Length > 0,
            "the busy runner's rejection was on its /metrics", Bound);

        Assert.Empty(RejectionLines(await ScrapeAsync(idleHttp, ct)));
    }

    private static async Task<CourierServer> StartServerAsync(TempDirectory dir, string type, CancellationToken cancellationToken)
    {
        var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            Demo = false,
            ConfigureLogging = _ => { },
            ConfigureCourier = c => c.AddHandler(type, new SwitchableHandler(broken: false))
                .ConfigureDispatcher(o => o.Rules.Add(new JobRule { Type = type })),
        });
        await server.StartAsync(cancellationToken);
        return server;
    }

    private static async Task<CourierRunnerHost> StartRunnerAsync(TempDirectory dir, CancellationToken cancellationToken)
    {
        var runner = CourierRunnerHost.Create(new CourierRunnerHostOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Port = 0,
            Keys = [new RunnerKey("scope-test", "metrics-scope-test-secret-0123456789")],
            ConfigureLogging = _ => { },
        });
        await runner.StartAsync(cancellationToken);
        return runner;
    }

    private static Task<string> ScrapeAsync(HttpClient http, CancellationToken cancellationToken) =>
        http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);

    private static string[] OutcomeLines(string metrics, string type) =>
        Samples(metrics, "courier_jobs_outcomes_total{").Where(l => l.Contains($"job_type=\"{type}\"", StringComparison.Ordinal)).ToArray();

    private static string[] RejectionLines(string metrics) => Samples(metrics, "courier_runner_signature_rejections_total").ToArray();

    private static IEnumerable<string> Samples(string metrics, string prefix) =>
        metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static SeriesValue[] WatchedOutcomes(CourierServer server, string type) =>
        server.Services.GetRequiredService<SnapshotMetricReader>().Read(DateTimeOffset.UtcNow).Of("courier.jobs.outcomes").Values
            .Where(s => s.Labels.TryGetValue("job_type", out var t) && t == type).ToArray();
}
