using System.Text.Json;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Recurring;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary><c>GET /v1/recurring</c> on the dispatcher service, and <c>courier stats</c> showing what it answers.</summary>
public sealed class RecurringEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_EnqueuesAConfiguredRecurringJob_AndShowsIt_AtV1RecurringAndInCourierStats()
    {
        using var dir = new TempDirectory("recurring-endpoint");
        var config = TestConfig.Load(dir.Path, """
            recurring:
              - name: every-second
                type: refreshLinks
                cron: "* * * * * *"
                params: '{"title": {"namespace": 0, "dbkey": "Main_Page"}, "revisionId": 1}'
            """);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Config = config,
            Demo = true,
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        JsonElement entry = default;
        await Eventually.TrueAsync(async ValueTask<bool> () =>
        {
            using var answer = JsonDocument.Parse(await http.GetStringAsync(RecurringEndpoints.Route, Ct));
            entry = answer.RootElement.GetProperty("recurring").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "every-second").Clone();
            return entry.GetProperty("enqueued").GetInt64() >= 1;
        }, "the every-second recurring job enqueued a job");
        await Eventually.TrueAsync(() => server.Dispatcher.GetStats().Single(s => s.Type == "refreshLinks").Succeeded >= 1,
            "its job ran like any other refreshLinks job");

        Assert.Equal(("refreshLinks", "* * * * * *", "UTC", "once"), (entry.GetProperty("type").GetString(), entry.GetProperty("cron").GetString(),
            entry.GetProperty("time_zone").GetString(), entry.GetProperty("catch_up").GetString()));
        Assert.True(entry.GetProperty("next_tick").GetDateTimeOffset() > entry.GetProperty("last_tick").GetDateTimeOffset());
        var stats = await CliRun.RunAsync(["stats", "--json", "--data", dir.Path, "--server", server.BaseUrl!.ToString()], Ct);
        Assert.Equal(0, stats.ExitCode);
        using var statsJson = JsonDocument.Parse(stats.Out);
        // The configured one and the demo's, by name.
        Assert.Equal(["demo-purge", "every-second"], statsJson.RootElement.GetProperty("recurring").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        await server.StopAsync(Ct);
    }
}
