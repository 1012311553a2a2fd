using System.Text.Json;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary><c>GET /v1/probes</c> on the dispatcher service, and a probe refused at start.</summary>
public sealed class ProbesEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_ProbesAConfiguredType_AndShowsItsResultsAtV1Probes()
    {
        using var dir = new TempDirectory("probes-endpoint");
        await using var server = CourierServer.Create(Options(dir, """
            dispatcher:
              rules:
                massMessage:
                  probe:
                    # Long enough that a loaded machine's scheduling gaps cannot pass three intervals without a result,
                    # which would mark the probe missing (at 100 ms, CI saw it so).
                    every: 1s
                    database: testwiki
                    params: '{"title": {"namespace": 3, "dbkey": "Probe"}, "recipient": "Probe", "subject": "probe", "message": "probe", "sender": "courier"}'
            """));
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        JsonElement massMessage = default;
        await Eventually.TrueAsync(async ValueTask<bool> () =>
        {
            using var answer = JsonDocument.Parse(await http.GetStringAsync(CourierServer.ProbesRoute, Ct));
            massMessage = answer.RootElement.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("type").GetString() == "massMessage").Clone();
            return massMessage.GetProperty("succeeded").GetInt64() >= 1;
        }, "a massMessage probe succeeded");

        Assert.Equal(0, massMessage.GetProperty("consecutiveFailures").GetInt32());
        Assert.False(massMessage.GetProperty("missing").GetBoolean());
        var stats = server.Dispatcher.GetStats().Single(s => s.Type == "massMessage");
        Assert.Equal(0, stats.Started); // the demo handler skipped it: no delivery, no job of the type
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Serve_RefusesToStart_AProbeWhoseParamsBreakTheSchema()
    {
        using var dir = new TempDirectory("probes-endpoint");
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = CourierServer.Create(Options(dir, """
                dispatcher:
                  rules:
                    massMessage:
                      probe: { params: '{"title": "User talk:Probe"}' }
                """));
            await server.StartAsync(Ct);
        });
        Assert.Contains("rule 'massMessage': probe.params would never pass the gate", e.ToString(), StringComparison.Ordinal);
    }

    private static CourierServerOptions Options(TempDirectory dir, string yaml)
    {
        var file = dir.File("courier.yaml");
        File.WriteAllText(file, yaml);
        return new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Config = CourierConfigFile.Load(file),
            Demo = true,
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        };
    }
}
