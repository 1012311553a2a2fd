using System.Text.Json;
using Courier.Server.Check;
using Courier.Server.Tests.Alerting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Check;

/// <summary>
/// <c>courier check</c> against a running dispatcher service: a type that starts failing when its release changes
/// fails the gate since that release, with its error; the healthy window before passes.
/// </summary>
public sealed class CheckEndToEndTests
{
    // Every Meter named Courier in the test process feeds every server's watcher, so the type is this test's own.
    private readonly string _type = WatcherServer.UniqueType("deployed");

    [Fact]
    public async Task Check_SinceTheReleaseThatBrokeAType_FailsWithItsError_AndTheHealthyReleasePasses()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var handler = new SwitchableHandler(broken: false) { Release = "v1" };
        await using var server = await WatcherServer.StartAsync(dir.Path, "", new Dictionary<string, SwitchableHandler> { [_type] = handler },
            cancellationToken: ct);
        var url = server.Server.BaseUrl!.ToString();
        await server.EnqueueAsync(_type, 10, ct);
        await Eventually.TrueAsync(() => server.Finished(_type) == 10, "v1 ran its ten jobs", TimeSpan.FromSeconds(30));

        var healthy = await CliRun.RunAsync("check", "--since", "v1", "--url", url);

        Assert.True(healthy.ExitCode == 0, healthy.Out + healthy.Error);
        Assert.StartsWith("courier check: PASS", healthy.Out, StringComparison.Ordinal);
        Assert.Contains("(release v1 first seen)", healthy.Out, StringComparison.Ordinal);

        handler.Release = "v2";
        handler.Broken = true;
        await server.EnqueueAsync(_type, 10, ct);
        await Eventually.TrueAsync(() => server.Finished(_type) == 20, "v2 ran its ten jobs", TimeSpan.FromSeconds(30));

        var broken = await CliRun.RunAsync("check", "--since", "v2", "--url", url);
        var json = await CliRun.RunAsync("check", "--since", "v2", "--json", "--url", url);

        Assert.True(broken.ExitCode == 4, broken.Out + broken.Error);
        Assert.StartsWith("courier check: FAIL", broken.Out, StringComparison.Ordinal);
        Assert.Contains($"{_type}: failure ratio", broken.Out, StringComparison.Ordinal);
        Assert.Contains($"Top errors of {_type}:", broken.Out, StringComparison.Ordinal);
        Assert.Contains("[v2] the handler is broken", broken.Out, StringComparison.Ordinal);
        Assert.Equal(4, json.ExitCode);
        var report = JsonSerializer.Deserialize<CheckReport>(json.Out)!;
        Assert.Equal((CheckVerdicts.Fail, "v2"), (report.Verdict, report.Window.SinceRelease));
        var type = Assert.Single(report.Types, t => t.Type == _type);
        Assert.Equal(CheckVerdicts.Fail, type.Verdict);
        var v2 = Assert.Single(type.Releases, r => r.Release == "v2");
        Assert.Equal((10L, 10L), (v2.Attempts, v2.Failures));
        Assert.Equal("the handler is broken", v2.TopErrors[0].Message);
    }

    [Fact]
    public async Task Check_AnswersBadParametersWith400NamingThem_AndAnIdleDispatcherHasNoData()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var server = await TestServer.StartAsync(dir.Path, cancellationToken: ct);
        var url = server.Server.BaseUrl!.ToString();

        using var badSince = await server.Http.GetAsync(new Uri("/v1/check?since=v9", UriKind.Relative), ct);
        using var badBaseline = await server.Http.GetAsync(new Uri("/v1/check?since=15m&baseline=soon", UriKind.Relative), ct);
        var unknown = await CliRun.RunAsync("check", "--since", "v9", "--url", url);
        var idle = await CliRun.RunAsync("check", "--since", "15m", "--url", url);
        var idleJson = await CliRun.RunAsync("check", "--since", "15m", "--json", "--url", url);

        Assert.Equal(400, (int)badSince.StatusCode);
        Assert.Contains("\"error\":\"since: 'v9' is not", await badSince.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(400, (int)badBaseline.StatusCode);
        Assert.Contains("\"error\":\"baseline: 'soon'", await badBaseline.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("known releases, newest first: none yet", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(5, idle.ExitCode);
        Assert.StartsWith("courier check: NO_DATA", idle.Out, StringComparison.Ordinal);
        Assert.Equal(5, idleJson.ExitCode);
        using var shape = JsonDocument.Parse(idleJson.Out);
        Assert.Equal(["verdict", "reasons", "window", "thresholds", "types", "alerts", "paused"],
            shape.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["since", "until", "baseline_since", "since_release"], shape.RootElement.GetProperty("window").EnumerateObject().Select(p => p.Name));
        Assert.Equal("no_data", shape.RootElement.GetProperty("verdict").GetString());
    }
}
