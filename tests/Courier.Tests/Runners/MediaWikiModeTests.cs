using Courier.Testing;
using Courier.Tests.Dispatching;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>
/// A pool in mediawiki mode against a stand-in for <c>rpc/RunSingleJob.php</c>: the original's answers — 200 with an
/// empty body, bare 500s, a read-only 500 with <c>X-Readonly</c>, 400 for a bad event — and nothing else expected.
/// </summary>
public sealed class MediaWikiModeTests
{
    private static RunnerPoolOptions Pool(Uri endpoint) => new()
    {
        Name = "jobrunners",
        Mode = RunnerMode.MediaWiki,
        Urls = { endpoint },
        ExecutionLimit = TimeSpan.FromSeconds(2),
        RetryAfterDefault = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Answers as RunSingleJob.php does, by the job's name: <c>ok</c>, <c>flaky</c>, <c>readonly</c>, <c>broken</c>, <c>bad</c>.</summary>
    private static Task RunSingleJob(ReceivedRequest request, HttpContext context)
    {
        switch (request.JobName)
        {
            case "flaky" when request.Attempt == 1:
            case "broken":
                context.Response.StatusCode = 500; // no body: the executor's message never made it into the response
                break;
            case "readonly" when request.Attempt == 1 && ReadOnlyAnswers.AddOrUpdate(request.JobId!, 1, (_, n) => n + 1) <= 2:
                context.Response.StatusCode = 500;
                context.Response.Headers["X-Readonly"] = "true";
                break;
            case "bad":
                context.Response.StatusCode = 400;
                return context.Response.WriteAsync("Invalid event received!");
            default:
                break; // 200, empty body
        }
        return Task.CompletedTask;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> ReadOnlyAnswers = new();

    [Fact]
    public async Task MediaWikiMode_MapsRunSingleJobAnswers()
    {
        await using var runner = await StandInRunner.StartAsync(RunSingleJob);
        var endpoint = new Uri(runner.BaseUrl, "/rpc/RunSingleJob.php");
        await using var h = Harness.Sqlite(HttpRunnerDispatchTests.Options(Pool(endpoint),
            HttpRunnerDispatchTests.Rule("refreshLinks", runner: "jobrunners", limit: 1)));
        var jobs = await h.EnqueueAsync("refreshLinks",
            [new TestParams("ok"), new TestParams("flaky"), new TestParams("readonly"), new TestParams("broken"), new TestParams("bad")]);
        var id = jobs.Zip(["ok", "flaky", "readonly", "broken", "bad"]).ToDictionary(p => p.Second, p => p.First.Id);
        await h.StartAsync();
        await h.WaitIdleAsync();

        // The URL is used as given, and nothing Courier-specific is required of the other side.
        Assert.All(runner.Requests, r => Assert.Equal("/rpc/RunSingleJob.php", r.Path));
        Assert.All(runner.Requests, r => Assert.Null(r.Signature));
        Assert.Equal([1], runner.For(id["ok"]).Select(r => r.Attempt));
        Assert.Equal([1, 2], runner.For(id["flaky"]).Select(r => r.Attempt));
        // Read-only twice, then done: backpressure spent no attempt.
        Assert.Equal([1, 1, 1], runner.For(id["readonly"]).Select(r => r.Attempt));
        Assert.Equal([1, 2], runner.For(id["broken"]).Select(r => r.Attempt));
        Assert.Equal([1], runner.For(id["bad"]).Select(r => r.Attempt));

        var letters = (await h.ReadDeadLettersAsync()).ToDictionary(l => l.JobId!);
        Assert.Equal(2, letters.Count);
        Assert.Equal(FailureClass.Retryable, letters[id["broken"]].Class);
        Assert.Equal(2, letters[id["broken"]].Attempts);
        Assert.Equal($"runner {endpoint}: 500 Internal Server Error", letters[id["broken"]].Message);
        Assert.Equal(FailureClass.Permanent, letters[id["bad"]].Class);
        Assert.Equal($"runner {endpoint}: 400 Invalid event received!", letters[id["bad"]].Message);
        Assert.All(letters.Values, l => Assert.Equal("jobrunners", l.Executor));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(3, stats.Succeeded);
        Assert.Equal(2, stats.Backpressured);
    }

    [Fact]
    public async Task MediaWikiMode_SignsOnlyWhenAKeyIsConfigured()
    {
        await using var runner = await StandInRunner.StartAsync();
        var pool = Pool(new Uri(runner.BaseUrl, "/rpc/RunSingleJob.php"));
        pool.SigningKey = StandInRunner.Key;
        await using var h = Harness.Sqlite(HttpRunnerDispatchTests.Options(pool, HttpRunnerDispatchTests.Rule("alpha", runner: "jobrunners")));
        await h.EnqueueAsync("alpha", [new TestParams("ok")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.True(Assert.Single(runner.Requests).SignatureValid);
    }
}
