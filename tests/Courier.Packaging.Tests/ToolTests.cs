using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// The installed <c>courier</c> tool, run from an empty directory far from the repository: every asset it needs ships
/// inside the tool and is found beside its own files, and what it writes (<c>courier-data</c>) lands in the working
/// directory, as the repository's CLI does.
/// </summary>
public sealed partial class ToolTests(PackedFeed feed)
{
    /// <summary>Only catches a hang: a healthy command ends long before.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>The exit code of a usage error (Courier.Cli's ExitCodes.Usage).</summary>
    private const int UsageExitCode = 2;

    [Fact]
    public async Task Help_ListsTheCommands_AndVersion_IsThePackageVersion()
    {
        var tool = await feed.ToolAsync();
        using var cwd = new TempDirectory("packaging");

        using var help = tool.Start(cwd.Path, "--help");
        Assert.True(await help.WaitForExitAsync(Bound) == 0, help.Tail());
        foreach (var command in new[] { "up", "serve", "runner", "kafka", "dlq", "stats", "audit", "enqueue", "schema", "contract" })
        {
            Assert.Matches(new Regex($@"^\s+{command}\b", RegexOptions.Multiline), help.Stdout);
        }

        using var version = tool.Start(cwd.Path, "--version");
        Assert.True(await version.WaitForExitAsync(Bound) == 0, version.Tail());
        Assert.StartsWith(feed.Version, version.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("kafka-dev")]
    public async Task Up_RunsTheDemo_FromAnEmptyDirectory_AndItsCountsReconcile(string engine)
    {
        var tool = await feed.ToolAsync();
        using var cwd = new TempDirectory("packaging");
        string[] kafka = engine == "kafka-dev" ? ["--kafka", "dev"] : [];

        using var up = tool.Start(cwd.Path, ["up", .. kafka, "--demo-jobs", "200", "--exit-when-idle", "--json", "--metrics-port", "0"]);

        Assert.True(await up.WaitForExitAsync(Bound) == 0, up.Tail());
        using var summary = JsonDocument.Parse(up.Stdout);
        var root = summary.RootElement;
        Assert.True(root.GetProperty("reconciled").GetBoolean(), up.Stdout);
        Assert.Equal("idle", root.GetProperty("outcome").GetString());
        Assert.Equal(engine == "kafka-dev", root.GetProperty("dev_cluster").GetBoolean());
        var totals = root.GetProperty("totals");
        Assert.Equal(200 + totals.GetProperty("recurring").GetInt64(), totals.GetProperty("accepted").GetInt64());
        Assert.Equal(0, totals.GetProperty("pending").GetInt64());
        // The demo requires a params schema for every type: the schemas shipped in the tool were found and applied.
        Assert.True(root.GetProperty("demo").GetProperty("matches_expectation").GetBoolean(), up.Stdout);
        Assert.True(Directory.Exists(Path.Combine(cwd.Path, "courier-data")), "courier up made no ./courier-data");
    }

    [Fact]
    public async Task RunnerAndServe_StartReady_AndStopOnSigterm()
    {
        var tool = await feed.ToolAsync();
        using var cwd = new TempDirectory("packaging");
        using var http = new HttpClient();

        using var runner = tool.Start(cwd.Path, "runner", "--port", "0", "--json", "--data", "runner-data");
        await Eventually.TrueAsync(() => runner.HasExited || runner.Stdout.Contains('\n', StringComparison.Ordinal),
            "courier runner printed its addresses", Bound, () => runner.Tail());
        Assert.False(runner.HasExited, runner.Tail());
        using (var started = JsonDocument.Parse(runner.Stdout.Split('\n')[0]))
        {
            await AssertReadyAsync(http, new Uri(started.RootElement.GetProperty("ready_url").GetString()!), runner);
        }

        using var serve = tool.Start(cwd.Path, "serve", "--demo", "--metrics-port", "0", "--progress-interval", "0");
        await Eventually.TrueAsync(() => serve.HasExited || MetricsAddress().IsMatch(serve.Stderr),
            "courier serve logged its addresses", Bound, () => serve.Tail());
        Assert.False(serve.HasExited, serve.Tail());
        var metrics = new Uri(MetricsAddress().Match(serve.Stderr).Groups[1].Value);
        await AssertReadyAsync(http, new Uri(metrics, "/health/ready"), serve);

        await serve.TerminateAsync();
        await runner.TerminateAsync();
        Assert.True(await serve.WaitForExitAsync(Bound) == 0, serve.Tail());
        Assert.True(await runner.WaitForExitAsync(Bound) == 0, runner.Tail());
        Assert.True(Directory.Exists(Path.Combine(cwd.Path, "courier-data")), "courier serve made no ./courier-data");
    }

    [Fact]
    public async Task SchemaCheckAndContractVerify_ReadTheUsersOwnFiles_AndSaySoWhenThereAreNone()
    {
        var tool = await feed.ToolAsync();
        using var cwd = new TempDirectory("packaging");

        // Their defaults (jobs/schemas, jobs/corpus) are the user's files in the working directory, not the tool's.
        using var schemas = tool.Start(cwd.Path, "schema", "check");
        Assert.Equal(UsageExitCode, await schemas.WaitForExitAsync(Bound));
        Assert.Contains("jobs/schemas does not exist", schemas.Stderr, StringComparison.Ordinal);

        using var corpus = tool.Start(cwd.Path, "contract", "verify");
        Assert.Equal(UsageExitCode, await corpus.WaitForExitAsync(Bound));
        Assert.Contains("--corpus jobs/corpus: no such directory", corpus.Stderr, StringComparison.Ordinal);
    }

    private static async Task AssertReadyAsync(HttpClient http, Uri ready, ChildProcess process)
    {
        var status = 0;
        await Eventually.TrueAsync(async () =>
        {
            using var answer = await http.GetAsync(ready, TestContext.Current.CancellationToken);
            status = (int)answer.StatusCode;
            return answer.IsSuccessStatusCode || process.HasExited;
        }, $"{ready} answers 200", Bound, () => ValueTask.FromResult($"last status {status}\n{process.Tail()}"));
        Assert.False(process.HasExited, process.Tail());
    }

    [GeneratedRegex(@"metrics (http://\S+/)")]
    private static partial Regex MetricsAddress();
}
