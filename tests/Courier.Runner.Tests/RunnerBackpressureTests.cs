using System.Net;
using Courier.Runner.Tests.Support;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>Read-only, the concurrency limit, handler backpressure and the execution limit.</summary>
public sealed class RunnerBackpressureTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Runner_Answers423WithRetryAfter_WhileReadOnly()
    {
        var readOnly = true;
        await using var runner = await TestRunner.StartAsync(o =>
        {
            o.ReadOnly = () => Volatile.Read(ref readOnly);
            o.RetryAfter = TimeSpan.FromSeconds(40);
        });
        var id = Guid.NewGuid().ToString();

        using var locked = await runner.PostAsync(TestJobs.Event("ok", id));
        Volatile.Write(ref readOnly, false);
        using var open = await runner.PostAsync(TestJobs.Event("ok"));

        var error = await ErrorBody.ExpectAsync(locked, HttpStatusCode.Locked, "backpressure");
        Assert.Equal("the runner is read-only", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(40), locked.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Single(runner.Handler.Calls);
        var log = Assert.Single(runner.Logs.Of(4006));
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
        Assert.Equal("backpressure", log.Values["FailureClass"]);
    }

    [Fact]
    public async Task Runner_Answers429WithRetryAfter_AboveMaxConcurrency()
    {
        await using var runner = await TestRunner.StartAsync(o =>
        {
            o.MaxConcurrency = 1;
            o.RetryAfter = TimeSpan.FromMilliseconds(1500);
        });
        var held = runner.PostAsync(TestJobs.Event("hold"));
        await Eventually.TrueAsync(() => runner.Handler.Holding == 1, "the handler held one job", Within, () => $"holding {runner.Handler.Holding}");

        using (var refused = await runner.PostAsync(TestJobs.Event("ok")))
        {
            var error = await ErrorBody.ExpectAsync(refused, HttpStatusCode.TooManyRequests, "backpressure");
            Assert.Contains("concurrency limit (1)", error.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta); // whole seconds, rounded up
        }

        runner.Handler.ReleaseAll();
        using var first = await held;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var after = await runner.PostAsync(TestJobs.Event("ok"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, runner.Handler.Calls.Count); // the refused job never reached the handler
    }

    [Fact]
    public async Task Runner_Answers429WithTheHandlersWait_WhenTheHandlerReportsBackpressure()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("backpressure", message: "replica lag"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.TooManyRequests, "backpressure");
        Assert.Equal("replica lag", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Runner_CancelsTheHandlerAndAnswers504Retryable_AtTheExecutionLimit()
    {
        await using var runner = await TestRunner.StartAsync(o => o.ExecutionLimit = TimeSpan.FromMilliseconds(200));
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.Event("hold", id));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.GatewayTimeout, "retryable");
        Assert.StartsWith("execution limit exceeded", error.Message, StringComparison.Ordinal);
        Assert.Equal("200", Assert.Single(response.Headers.GetValues(RunnerProtocol.ExecutionLimitHeader)));
        await Eventually.TrueAsync(() => runner.Handler.Cancelled.Contains(id), $"the handler saw job {id} cancelled", Within, () => "cancelled: " + string.Join(", ", runner.Handler.Cancelled));
        Assert.Empty(runner.Logs.Of(4009)); // it honoured its token
        var log = Assert.Single(runner.Logs.Of(4007));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("retryable", log.Values["FailureClass"]);
        Assert.Null(log.Exception); // the cancellation is the runner's own doing, not an error of the handler
    }

    [Fact]
    public async Task Runner_UsesTheDispatchersTimeoutAsTheLimit_WhenItIsShorter()
    {
        await using var runner = await TestRunner.StartAsync(o => o.ExecutionLimit = TimeSpan.FromMinutes(5));

        using var response = await runner.PostAsync(TestJobs.Event("hold"), timeoutMs: 200);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.GatewayTimeout, "retryable");
        Assert.Contains("200 ms", error.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => runner.Handler.Cancelled.Count == 1, "the handler saw one job cancelled", Within, () => "cancelled: " + string.Join(", ", runner.Handler.Cancelled));
    }

    [Fact]
    public async Task Runner_AnswersAtTheLimit_AndKeepsTheSlotBusy_WhenTheHandlerIgnoresCancellation()
    {
        await using var runner = await TestRunner.StartAsync(o =>
        {
            o.ExecutionLimit = TimeSpan.FromMilliseconds(200);
            o.MaxConcurrency = 1;
        });

        using var response = await runner.PostAsync(TestJobs.Event("hold-ignoring-cancellation"));
        await ErrorBody.ExpectAsync(response, HttpStatusCode.GatewayTimeout, "retryable");
        Assert.Single(runner.Logs.Of(4009));

        // The handler still runs, so its slot is taken: the next job is refused rather than piled on.
        using var busy = await runner.PostAsync(TestJobs.Event("ok"));
        await ErrorBody.ExpectAsync(busy, HttpStatusCode.TooManyRequests, "backpressure");

        runner.Handler.ReleaseAll();
        await Eventually.TrueAsync(() => runner.Handler.Holding == 0, "the handler let go of the job", Within, () => $"holding {runner.Handler.Holding}");
        await Eventually.TrueAsync(() => runner.Metrics.Sum(CourierRunnerTelemetry.InFlight) == 0, "the in-flight gauge was back at 0", Within,
            () => $"in flight {runner.Metrics.Sum(CourierRunnerTelemetry.InFlight)}");
        using var free = await runner.PostAsync(TestJobs.Event("ok"));
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
    }

    [Fact]
    public async Task Runner_CancelsTheHandler_WhenTheDispatcherHangsUp()
    {
        await using var runner = await TestRunner.StartAsync();
        using var hangUp = new CancellationTokenSource();
        var id = Guid.NewGuid().ToString();
        var request = runner.Request(TestJobs.Event("hold", id));
        var pending = runner.Client.SendAsync(request, hangUp.Token);
        await Eventually.TrueAsync(() => runner.Handler.Holding == 1, "the handler held one job", Within, () => $"holding {runner.Handler.Holding}");

        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        await Eventually.TrueAsync(() => runner.Handler.Cancelled.Contains(id), $"the handler saw job {id} cancelled", Within, () => "cancelled: " + string.Join(", ", runner.Handler.Cancelled));
        await Eventually.TrueAsync(() => runner.Logs.Of(4008).Count == 1, "the runner logged event 4008 once", Within, () => $"{runner.Logs.Of(4008).Count} times");
        Assert.Equal(LogLevel.Warning, runner.Logs.Of(4008)[0].Level);
        request.Dispose();
    }
}
