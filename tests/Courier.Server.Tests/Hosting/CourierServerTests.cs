using System.Net;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Hosting;

public sealed class CourierServerTests
{
    [Fact]
    public async Task Server_ServesHealthAndPrometheusMetrics_OnAFreeLoopbackPort()
    {
        using var dir = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });

        await server.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var live = await http.GetAsync(new Uri("health/live", UriKind.Relative), ct);
        var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative), ct);
        await server.Client.EnqueueAsync(new JobRequest
        {
            Type = DemoJobTypes.HtmlCacheUpdate,
            Database = "enwiki",
            Params = new HtmlCacheUpdateParams { Table = "templatelinks", Title = new PageTitle(10, "Infobox") },
        }, ct);
        string metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
            // This job's outcome: every Meter named Courier in the test process feeds this exporter, so another
            // test's outcomes can be on /metrics first.
            return metrics.Split('\n').Any(l => l.StartsWith("courier_jobs_outcomes_total{", StringComparison.Ordinal)
                && l.Contains("job_type=\"htmlCacheUpdate\"", StringComparison.Ordinal));
        }, "the job's outcome was on /metrics", TimeSpan.FromSeconds(20));
        await server.StopAsync(ct);

        Assert.Equal("127.0.0.1", server.BaseUrl!.Host);
        Assert.NotEqual(CourierServerOptions.DefaultMetricsPort, server.BaseUrl.Port);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("courier_jobs_enqueued_total", metrics, StringComparison.Ordinal);
        Assert.Contains("job_type=\"htmlCacheUpdate\"", metrics, StringComparison.Ordinal);
    }
}
