using System.Collections.Concurrent;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up --runners</c>: the demo runs on HTTP runners, signed, and the output says so.</summary>
public sealed class UpRunnersTests
{
    private static readonly RunnerKey Key = new("dev", "up-runners-test-secret-0123456789");

    [Fact]
    public async Task Up_RunsTheDemoOnTheRunners_SignedWithCourierRunnerKeys_AndSaysSo()
    {
        using var dir = new TempDirectory();
        var received = new ConcurrentBag<(string JobType, bool Signed, string ConnectionId)>();
        await using var runner = await StartRunnerAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var bytes = body.ToArray();
            using var json = JsonDocument.Parse(bytes);
            var signed = RunnerSignatureCheck.IsSignedBy(context, bytes, Key);
            received.Add((json.RootElement.GetProperty("type").GetString()!, signed, context.Connection.Id));
            context.Response.StatusCode = signed ? 200 : 403;
        });

        using var up = CliProcess.Start(new Dictionary<string, string?> { [RunnerKey.EnvironmentVariable] = "dev=up-runners-test-secret-0123456789" },
            "up", "--runners", runner.BaseUrl.GetLeftPart(UriPartial.Authority), "--exit-when-idle", "--json", "--demo-jobs", "60", "--metrics-port", "0", "--data", dir.Path);
        var exitCode = await up.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == ExitCodes.Ok, $"exit {exitCode}; stderr:\n{up.Stderr}");
        using var doc = JsonDocument.Parse(up.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("reconciled").GetBoolean());
        Assert.StartsWith($"runners ({runner.BaseUrl.GetLeftPart(UriPartial.Authority)}/): ", root.GetProperty("executors").GetString(), StringComparison.Ordinal);
        foreach (var type in DemoJobTypes.All)
        {
            Assert.Equal("runners", root.GetProperty("types").GetProperty(type).GetProperty("executor").GetString());
        }
        // Every demo job went over HTTP, signed, and nothing ran in process (the stand-in answers 200 to all of them).
        var recurring = root.GetProperty("totals").GetProperty("recurring").GetInt64(); // the demo's recurring job's, if it ticked
        Assert.Equal(60 + recurring, root.GetProperty("totals").GetProperty("succeeded").GetInt64());
        Assert.Equal(60 + recurring, received.Count);
        Assert.All(received, r => Assert.True(r.Signed));
        Assert.Equal(DemoJobTypes.All.Order(), received.Select(r => r.JobType).Distinct().Order());
        Assert.InRange(received.Select(r => r.ConnectionId).Distinct().Count(), 1, 3 * DemoRules.Concurrency);
    }

    [Fact]
    public async Task Up_RefusesRunners_WithoutASigningKey()
    {
        using var dir = new TempDirectory();

        using var up = CliProcess.Start(new Dictionary<string, string?> { [RunnerKey.EnvironmentVariable] = null },
            "up", "--runners", "http://127.0.0.1:5080", "--exit-when-idle", "--metrics-port", "0", "--data", dir.Path);
        var exitCode = await up.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--runners: no signing key", up.Stderr, StringComparison.Ordinal);
        Assert.Contains(RunnerKey.EnvironmentVariable, up.Stderr, StringComparison.Ordinal);
        Assert.Contains(RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path)), up.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path)))); // no key nobody accepts
    }

    /// <summary>
    /// The whole path with a runner in its own process: <c>courier runner</c> creates the development key file,
    /// <c>courier up --runners</c> with the same data directory signs with it, and the demo ends as designed — the
    /// runner's massMessage deliveries land in the inbox the dispatcher reconciles against.
    /// </summary>
    [Fact]
    public async Task Up_RunsTheDemoOnCourierRunner_InAnotherProcess_WithItsKeyFile_AndMatchesTheExpectation()
    {
        using var dir = new TempDirectory("up-runners");
        var noKeys = new Dictionary<string, string?> { [RunnerKey.EnvironmentVariable] = null };
        using var runner = CliProcess.Start(noKeys, "runner", "--port", "0", "--data", dir.Path);
        // The endpoint URL the runner prints works as the pool's URL as well as its base URL.
        var url = await runner.FirstLineAsync(TimeSpan.FromSeconds(30));

        using var up = CliProcess.Start(noKeys,
            "up", "--runners", url, "--exit-when-idle", "--json", "--demo-jobs", "300", "--metrics-port", "0", "--data", dir.Path);
        var exitCode = await up.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == ExitCodes.Ok, $"exit {exitCode}; stderr:\n{up.Stderr}\nrunner:\n{runner.Stderr}");
        var key = RunnerKeySource.FromFile(RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path))).Keys[0];
        Assert.Contains($"signed with key '{key.Id}' from {RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path))}", up.Stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(up.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("reconciled").GetBoolean());
        Assert.Equal(300 + root.GetProperty("totals").GetProperty("recurring").GetInt64(), root.GetProperty("totals").GetProperty("accepted").GetInt64());
        // The demo's designed outcome (transient failures retried, permanent and decode ones dead-lettered), over HTTP.
        Assert.True(root.GetProperty("demo").GetProperty("matches_expectation").GetBoolean(), up.Stdout);
        var inbox = root.GetProperty("demo").GetProperty("inbox");
        Assert.Equal(root.GetProperty("types").GetProperty("massMessage").GetProperty("succeeded").GetInt64(), inbox.GetProperty("distinct_jobs").GetInt64());
        Assert.Equal("runners", root.GetProperty("types").GetProperty("massMessage").GetProperty("executor").GetString());
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080,nonsense")]
    public async Task Up_RefusesARunnerUrlThatIsNotHttp(string urls)
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync(["up", "--runners", urls, "--metrics-port", "0", "--data", dir.Path], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not a runner base URL", result.Error, StringComparison.Ordinal);
    }

    private static Task<LoopbackApp> StartRunnerAsync(RequestDelegate handle) =>
        LoopbackApp.StartAsync(app => app.Run(handle), cancellationToken: TestContext.Current.CancellationToken);
}
