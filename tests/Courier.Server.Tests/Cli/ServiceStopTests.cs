using System.Net;
using System.Text;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// The long-running commands as a service manager runs them (deploy/systemd): logs in JSON on stderr, and SIGTERM as
/// the stop. <c>courier serve</c> stopped with a job in flight lets it finish and commits it before exiting 0; the
/// runner and the Kafka development cluster exit 0 too. Every stderr line of every run is one JSON object.
/// </summary>
public sealed class ServiceStopTests
{
    [Fact]
    public async Task Serve_OnSigterm_WithAJobInFlight_DrainsIt_AndExitsZero_LoggingOnlyJson()
    {
        using var dir = new TempDirectory();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // RunSingleJob.php that holds each job until released, then answers 200 (success in mediawiki mode).
        await using var held = await LoopbackApp.StartAsync(app => app.MapPost("/rpc/RunSingleJob.php", async (HttpContext _) =>
        {
            arrived.TrySetResult();
            await release.Task;
        }), cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            var port = ServeSetup.FreePort();
            var config = dir.File("courier.yaml");
            await File.WriteAllTextAsync(config, $$"""
                data: {{dir.Path}}
                metrics:
                  listen: 127.0.0.1:{{port}}
                runners:
                  held: { mode: mediawiki, urls: [ "{{new Uri(held.BaseUrl, "/rpc/RunSingleJob.php")}}" ] }
                dispatcher:
                  rules:
                    cdnPurge: { runner: held, retry: { limit: 0 } }
                """, TestContext.Current.CancellationToken);
            using var serve = CliProcess.Start("serve", "--config", config, "--progress-interval", "0", "--log-format", "json");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await Eventually.TrueAsync(async () => serve.HasExited || await ServeSetup.IsReadyAsync(http), "courier serve is ready",
                state: () => ValueTask.FromResult(serve.Tail()));
            Assert.False(serve.HasExited, "courier serve exited:\n" + serve.Tail());
            var body = "[" + IntakeEvent.Json("cdnPurge", new { url = "https://en.wikipedia.org/wiki/Berlin" }, version: null) + "]";
            using (var posted = await http.PostAsync(new Uri("v1/events", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"),
                TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            }
            await Eventually.TrueAsync(() => arrived.Task.IsCompleted, "the job reached the runner", state: () => serve.Tail());

            await serve.TerminateAsync();
            // The stop has begun (stopped fetching, draining) while the job is still running: now let it finish.
            await Eventually.TrueAsync(() => serve.Stderr.Contains("\"EventId\":3102", StringComparison.Ordinal), "serve logs that it is stopping", state: () => serve.Tail());
            release.TrySetResult();

            Assert.Equal(ExitCodes.Ok, await serve.WaitForExitAsync(Eventually.DefaultBound));
            var events = JsonLogLines.Parse(serve.Stderr);
            var started = Assert.Single(events.Where("Courier.Cli.Serve", 3100));
            Assert.Equal("Information", started.GetProperty("LogLevel").GetString());
            Assert.Equal("sqlite", started.GetProperty("State").GetProperty("Engine").GetString());
            Assert.Contains(events.StatusMessages(), m => m.StartsWith("console: http://127.0.0.1:", StringComparison.Ordinal));
            // Drained, not cancelled: the job succeeded, nothing was left in flight, the drain bound never passed.
            var stopped = Assert.Single(events.Where("Courier.Cli.Serve", 3103));
            Assert.Equal(1, stopped.GetProperty("State").GetProperty("Succeeded").GetInt64());
            Assert.Equal(0, Assert.Single(events.Where("Courier.Dispatcher", 2)).GetProperty("State").GetProperty("InFlight").GetInt32());
            Assert.Empty(events.Where("Courier.Dispatcher", 14));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task Runner_LogsJson_FromTheEnvironment_AndExitsZeroOnSigterm()
    {
        using var dir = new TempDirectory();
        using var runner = CliProcess.Start(new Dictionary<string, string?> { ["COURIER_LOG_FORMAT"] = "json" }, "runner", "--port", "0", "--data", dir.Path);
        var url = new Uri(await runner.FirstLineAsync(Eventually.DefaultBound));
        Assert.Equal("/rpc/RunSingleJob", url.AbsolutePath);

        await runner.TerminateAsync();

        Assert.Equal(ExitCodes.Ok, await runner.WaitForExitAsync(Eventually.DefaultBound));
        var status = JsonLogLines.Parse(runner.Stderr).StatusMessages().ToList();
        Assert.StartsWith("Courier runner at " + url, status[0], StringComparison.Ordinal);
        Assert.Equal("Courier runner stopped.", status[^1]);
    }

    [Fact]
    public async Task KafkaDev_LogsJson_AndExitsZeroOnSigterm()
    {
        using var cluster = CliProcess.Start("kafka", "dev", "--brokers", "1", "--log-format", "json");
        var bootstrap = await cluster.FirstLineAsync(Eventually.DefaultBound);

        await cluster.TerminateAsync();

        Assert.Equal(ExitCodes.Ok, await cluster.WaitForExitAsync(Eventually.DefaultBound));
        var status = JsonLogLines.Parse(cluster.Stderr).StatusMessages().ToList();
        Assert.Contains(bootstrap, status[0], StringComparison.Ordinal);
        Assert.Equal("Kafka development cluster stopped.", status[^1]);
    }
}
