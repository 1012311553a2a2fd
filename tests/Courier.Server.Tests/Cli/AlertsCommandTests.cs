using System.Text.Json;
using Courier.Server.Alerting;
using Courier.Server.Tests.Alerting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier alerts</c> reads a running dispatcher's <c>GET /v1/alerts</c>: a table, or the JSON with <c>--json</c>.</summary>
public sealed class AlertsCommandTests
{
    // Every Meter named Courier in the test process feeds every server's readers (the SDK listens by name), so each
    // test's types are its own.
    private readonly string _flaky = WatcherServer.UniqueType("flaky");

    [Fact]
    public async Task Alerts_ListsTheFiringAlert_AsATableAndAsJson()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var server = await WatcherServer.StartAsync(dir.Path, "",
            new Dictionary<string, SwitchableHandler> { [_flaky] = new(broken: true) }, cancellationToken: ct);
        await server.EnqueueAsync(_flaky, 5, ct);
        await Eventually.TrueAsync(async () => WatcherServer.Has(await server.AlertsAsync(ct), "CourierJobTypeFailing", _flaky, AlertState.Firing),
            "the alert fired", TimeSpan.FromSeconds(30));

        var table = await CliRun.RunAsync("alerts", "--server", server.Server.BaseUrl!.ToString());
        var json = await CliRun.RunAsync("alerts", "--json", "--server", server.Server.BaseUrl!.ToString());

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("alertname", table.Out, StringComparison.Ordinal);
        Assert.Contains("CourierJobTypeFailing", table.Out, StringComparison.Ordinal);
        Assert.Contains($"Jobs of type {_flaky} are failing (100% over 1m)", table.Out, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.Error);
        var alerts = JsonSerializer.Deserialize<AlertList>(json.Out)!.Alerts;
        Assert.True(WatcherServer.Has(alerts, "CourierJobTypeFailing", _flaky, AlertState.Firing));
    }

    [Fact]
    public async Task Alerts_WithNoServer_FailsNamingTheAddress()
    {
        var url = LoopbackApp.RefusingUrl();

        var result = await CliRun.RunAsync("alerts", "--server", url.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot read {url}v1/alerts", result.Error, StringComparison.Ordinal);
    }
}
