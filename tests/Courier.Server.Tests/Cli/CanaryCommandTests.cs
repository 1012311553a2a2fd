using System.Text.Json;
using Courier.Canaries;
using Courier.Server.Canaries;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// <c>courier canary status|reset</c> against <c>courier serve</c>'s <c>GET /v1/canaries</c> and reset, with a pool
/// and its canary configured in the file and running on real runners.
/// </summary>
public sealed class CanaryCommandTests
{
    [Fact]
    public async Task Status_ShowsTheRolledBackCanary_AndReset_JudgesItAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var stable = await ReleaseRunner.StartAsync("r1", ["alpha"]);
        await using var canary = await ReleaseRunner.StartAsync("r2", ["alpha"], (_, _) => JobResult.Fail("r2 cannot run alpha"));
        var key = ReleaseRunner.Key;
        var config = TestConfig.Load(dir.Path, $$"""
            runners:
              pool:
                urls: [{{stable.BaseUrl}}]
                execution_limit: 5s
                signing_key: { id: {{key.Id}}, secret: {{System.Text.Encoding.UTF8.GetString(key.Secret)}} }
                canary:
                  urls: [{{canary.BaseUrl}}]
                  steps: [50, 100]
                  step_after: 1d
                  gate: { min_samples: 3 }
            dispatcher:
              rules:
                alpha: { runner: pool, timeout: 10s }
            """);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(Path.Combine(dir.Path, "data")),
            Config = config,
            MetricsPort = 0,
            Demo = false,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(ct);
        for (var i = 0; i < 30; i++)
        {
            await server.Client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = new TestParams($"j{i}") }, ct);
        }
        await Eventually.TrueAsync(() => ValueTask.FromResult(server.Dispatcher.GetCanaries().Single().State == CanaryState.RolledBack),
            "the canary was rolled back", TimeSpan.FromSeconds(30));
        var url = server.BaseUrl!.ToString();

        var table = await CliRun.RunAsync("canary", "status", "--server", url);
        var json = await CliRun.RunAsync("canary", "status", "--json", "--server", url);
        var unknown = await CliRun.RunAsync("canary", "reset", "nopool", "--server", url);
        var reset = await CliRun.RunAsync("canary", "reset", "pool", "--server", url);

        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("rolled_back", table.Out, StringComparison.Ordinal);
        Assert.Contains("r2", table.Out, StringComparison.Ordinal);
        Assert.Contains("r2 cannot run alpha", table.Out, StringComparison.Ordinal); // a top error
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Contains("\"state\": \"rolled_back\"", json.Out, StringComparison.Ordinal);
        var status = Assert.Single(JsonSerializer.Deserialize<CanaryList>(json.Out, CanaryList.Json)!.Canaries);
        Assert.Equal(("pool", "r2", 0), (status.Pool, status.Release, status.Weight));
        Assert.Equal(["alpha"], status.Verdict.Types);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("runner pool 'nopool' has no canary; pools with one: pool", unknown.Error, StringComparison.Ordinal);
        Assert.True(reset.ExitCode == 0, reset.Error);
        Assert.Contains("judging", reset.Out, StringComparison.Ordinal);
        Assert.Equal(CanaryState.Judging, server.Dispatcher.GetCanaries().Single().State);
    }
}
