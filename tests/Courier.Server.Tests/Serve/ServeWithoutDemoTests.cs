using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Serve;

/// <summary>
/// <c>courier serve</c> without <c>--demo</c> runs what its configuration says and nothing else: no demo handlers,
/// rules or schemas. What it cannot run stays visible: a configuration that routes nothing is refused, a rule run in
/// process without a handler is warned about and its jobs are dead-lettered and counted, and a type no rule covers
/// stays in the log as backlog.
/// </summary>
public sealed class ServeWithoutDemoTests
{
    [Fact]
    public async Task Serve_WithoutDemo_AndNothingRouted_IsAUsageError()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync(["serve", "--data", dir.Path, "--metrics-port", "0"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("nothing to serve: the configuration routes no job type", result.Error, StringComparison.Ordinal);
        Assert.Contains("--demo", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutDemo_RefusesRequiredSchemasWithoutADirectory_NamingTheKey()
    {
        using var dir = new TempDirectory();
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, "params_schemas:\n  require_schemas: true\n", TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync(["serve", "--config", config, "--data", dir.Path, "--metrics-port", "0"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"{config}: params_schemas.require_schemas: is true, but params_schemas.directory names no schemas", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutDemo_DeadLettersAnInProcessRuleWithoutHandler_AndLeavesUnroutedTypesInTheLog()
    {
        using var dir = new TempDirectory();
        var port = ServeSetup.FreePort();
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, $$"""
            data: {{dir.Path}}
            dispatcher:
              rules:
                cdnPurge: {}
            metrics:
              listen: 127.0.0.1:{{port}}
            """, TestContext.Current.CancellationToken);
        // A process of its own: its log lines are on its stderr.
        using var serve = CliProcess.Start("serve", "--config", config, "--progress-interval", "0");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Eventually.TrueAsync(async () => serve.HasExited || await ServeSetup.IsReadyAsync(http), "courier serve is ready",
            state: () => ValueTask.FromResult(serve.Tail()));
        Assert.False(serve.HasExited, "courier serve exited:\n" + serve.Tail());
        // No demo schemas: types Courier has never heard of are taken at the intake as they are.
        var body = "[" + IntakeEvent.Json("cdnPurge", new { url = "https://en.wikipedia.org/wiki/Berlin" }, version: null)
            + "," + IntakeEvent.Json("enotifNotify", new { editor = "Example" }, version: null) + "]";
        using (var posted = await http.PostAsync(new Uri("v1/events", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }
        await Eventually.TrueAsync(async () => DeadLettered(await StatsAsync(config), "cdnPurge") == 1, "the cdnPurge job is dead-lettered");
        await serve.TerminateAsync();

        Assert.Equal(ExitCodes.Ok, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("handlers none", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("Job type cdnPurge runs in this process, which has no handler for it", serve.Stderr, StringComparison.Ordinal);
        using var stats = await StatsAsync(config);
        var cdnPurge = stats.RootElement.GetProperty("dead_letters").GetProperty("by_type").GetProperty("cdnPurge");
        Assert.Equal(1, cdnPurge.GetProperty("decode").GetInt64());
        // No rule, no pattern, no pool: not consumed, so still there for a process that can run it.
        var enotify = stats.RootElement.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "mediawiki.job.enotifNotify");
        Assert.Equal(1, enotify.GetProperty("records").GetInt64());
    }

    private static long DeadLettered(JsonDocument stats, string type)
    {
        using (stats)
        {
            return stats.RootElement.GetProperty("dead_letters").GetProperty("by_type").TryGetProperty(type, out var byClass)
                ? byClass.EnumerateObject().Sum(c => c.Value.GetInt64())
                : 0;
        }
    }

    private static async Task<JsonDocument> StatsAsync(string config)
    {
        var stats = await CliRun.RunAsync("stats", "--config", config, "--json");
        Assert.True(stats.ExitCode == ExitCodes.Ok, stats.Error);
        return JsonDocument.Parse(stats.Out);
    }
}
