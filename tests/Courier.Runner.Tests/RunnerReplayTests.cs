using System.Net;
using Courier.Runner.Authentication;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// The replay cache: a signature is accepted once inside its window; a full cache answers 503 rather than forgetting
/// signatures; a dispatcher's retries are signed afresh, so they are never taken for replays. The runner's clock is
/// fixed, so window edges and expiry are exact.
/// </summary>
public sealed class RunnerReplayTests
{

    [Fact]
    public async Task Runner_RunsACapturedRequestOnce_AndRefusesItsReplays()
    {
        var clock = TestClock.Fixed();
        await using var runner = await TestRunner.StartAsync(time: clock);
        var body = TestJobs.Event("ok");
        const string nonce = "00112233445566778899aabbccddeeff";

        using var first = await runner.SendAsync(runner.Request(body, nonce: nonce));
        clock.Advance(TimeSpan.FromSeconds(2));
        using var second = await runner.SendAsync(runner.Request(body, signedAt: TestClock.Now, nonce: nonce));
        using var third = await runner.SendAsync(runner.Request(body, signedAt: TestClock.Now, nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        foreach (var replay in new[] { second, third })
        {
            var error = await ErrorBody.ExpectAsync(replay, HttpStatusCode.Forbidden, "permanent");
            Assert.Equal("replayed request: this signature was already accepted at 2026-12-04T12:00:00.000Z; every request must be signed afresh", error.Message);
        }
        Assert.Single(runner.Handler.Calls);
        Assert.Equal(2, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections, ("reason", "replayed")));
        Assert.Equal(2, runner.Logs.Of(4003).Count);
    }

    [Fact]
    public async Task Runner_AnswersBackpressure_WhenTheReplayCacheIsFull_UntilItsEntriesLeaveTheWindow()
    {
        var clock = TestClock.Fixed();
        await using var runner = await TestRunner.StartAsync(o => o.ReplayCacheCapacity = 1, time: clock);

        using var first = await runner.PostAsync(TestJobs.Event("ok"));
        clock.Advance(TimeSpan.FromSeconds(100));
        using var full = await runner.PostAsync(TestJobs.Event("ok"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var error = await ErrorBody.ExpectAsync(full, HttpStatusCode.ServiceUnavailable, "backpressure");
        Assert.Contains("replay cache is full", error.Message, StringComparison.Ordinal);
        // The first signature may be replayed until 300 s after its timestamp; it is forgotten at 301 s.
        Assert.Equal(TimeSpan.FromSeconds(201), full.Headers.RetryAfter?.Delta);
        Assert.Single(runner.Handler.Calls);

        clock.Advance(TimeSpan.FromSeconds(201));
        using var later = await runner.PostAsync(TestJobs.Event("ok"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(2, runner.Handler.Calls.Count);
    }

    [Fact]
    public async Task Dispatcher_SignsEveryRequestAfresh_SoARetryInTheSameSecondIsNotAReplay()
    {
        var clock = TestClock.Fixed(); // never advances: every request is signed in the same second
        await using var runner = await TestRunner.StartAsync(time: clock);
        var pool = new RunnerPoolOptions { Name = "runners", Urls = { runner.BaseUrl }, SigningKey = TestRunner.Key };
        using var executor = new HttpRunnerExecutor(pool, clock, NullLogger.Instance);
        var execution = Execution(TestJobs.Event("ok"), attempt: 1);

        // The same attempt twice, as after a 429 (backpressure spends no attempt), then the next attempt.
        var results = new[]
        {
            await executor.ExecuteAsync(execution, TestContext.Current.CancellationToken),
            await executor.ExecuteAsync(execution, TestContext.Current.CancellationToken),
            await executor.ExecuteAsync(Execution(execution.RawEvent.ToArray(), attempt: 2), TestContext.Current.CancellationToken),
        };

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Message));
        Assert.Equal(3, runner.Handler.Calls.Count);
        Assert.Equal(0, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections));
        Assert.Equal(3, runner.Services.GetRequiredService<RequestAuthenticator>().Replays.Count);
    }

    private static JobExecution Execution(byte[] body, int attempt)
    {
        var jobEvent = new JobEventCodec(new CourierOptions()).Decode(body).Event!;
        var topic = "mediawiki.job." + jobEvent.Type;
        return new JobExecution
        {
            Event = jobEvent,
            RawEvent = body,
            Context = new JobContext { Attempt = attempt, Topic = topic, Source = new TopicPartitionOffset(topic, 0, 0), Timeout = TimeSpan.FromSeconds(90) },
        };
    }
}
