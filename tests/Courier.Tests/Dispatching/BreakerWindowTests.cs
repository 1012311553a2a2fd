using Courier.Dispatching.Breaking;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>The breaker's sliding window and state changes, on a fake clock.</summary>
public sealed class BreakerWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Window_CountsWhatIsInside_AndDropsABucketWholeOnceItIsAWindowOld()
    {
        var window = new OutcomeWindow(TimeSpan.FromMinutes(1)); // six buckets of 10 s
        window.Add(Start, failed: true, "a");
        window.Add(Start + TimeSpan.FromSeconds(9), failed: false, null);
        window.Add(Start + TimeSpan.FromSeconds(25), failed: true, "b");
        window.Add(Start + TimeSpan.FromSeconds(26), failed: true, "b");

        Assert.Equal((4, 3), window.Totals(Start + TimeSpan.FromSeconds(59)));
        Assert.Equal("b", window.TopMessage(Start + TimeSpan.FromSeconds(59)));
        // At 60 s the first bucket (0–10 s) has left the window; the 20–30 s one stays until 80 s.
        Assert.Equal((2, 2), window.Totals(Start + TimeSpan.FromSeconds(60)));
        Assert.Equal((2, 2), window.Totals(Start + TimeSpan.FromSeconds(79)));
        Assert.Equal((0, 0), window.Totals(Start + TimeSpan.FromSeconds(80)));
        Assert.Null(window.TopMessage(Start + TimeSpan.FromSeconds(80)));
    }

    [Fact]
    public void Window_ReusesABucketForANewerSlice_WithoutItsOldCounts()
    {
        var window = new OutcomeWindow(TimeSpan.FromMinutes(1));
        window.Add(Start, failed: true, "old");
        window.Add(Start + TimeSpan.FromSeconds(61), failed: false, null); // same bucket, a window later

        Assert.Equal((1, 0), window.Totals(Start + TimeSpan.FromSeconds(61)));
        Assert.Null(window.TopMessage(Start + TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public void Breaker_OpensOnlyPastTheRatio_WithEnoughSamples_AndIgnoresBackpressure()
    {
        var clock = new FakeTimeProvider(Start);
        var (type, breaker) = Create(clock, new BreakerPolicy { FailureRatio = 0.5, MinSamples = 4 });

        Feed(breaker, clock, "retried", FailureClass.Retryable, 3);
        Feed(breaker, clock, "backpressure", FailureClass.Backpressure, 10);
        Feed(breaker, clock, "ignored", FailureClass.Permanent, 10);
        Assert.Equal(BreakerState.Closed, breaker.State); // 3 samples, fewer than 4
        breaker.Reset();
        Feed(breaker, clock, "succeeded", null, 3);
        Feed(breaker, clock, "retried", FailureClass.Retryable, 3);
        Assert.Equal(BreakerState.Closed, breaker.State); // 3 of 6 is not more than half
        Feed(breaker, clock, "dead_lettered", FailureClass.Permanent, 1);

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.True(type.IsPausedBy(PauseHolder.Breaker));
        Assert.Equal("breaker: 4 of 7 attempts failed in 1m (top: boom)", type.Pause!.Reason);
    }

    [Fact]
    public void Breaker_GoesHalfOpenAfterItsPeriod_WithABoundedAllowance_AndReopensForTwiceAsLong_UpToTheMaximum()
    {
        var clock = new FakeTimeProvider(Start);
        var (type, breaker) = Create(clock, new BreakerPolicy
        {
            FailureRatio = 0.5, MinSamples = 2, OpenFor = TimeSpan.FromSeconds(10), MaxOpenFor = TimeSpan.FromSeconds(30), HalfOpenJobs = 2,
        });
        Feed(breaker, clock, "retried", FailureClass.Retryable, 2);
        Assert.Equal(BreakerState.Open, breaker.State);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(BreakerState.Open, breaker.State);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(type.IsPaused);
        type.SpendStart();
        type.SpendStart();
        Assert.True(type.IsPaused); // the allowance is spent: the rest wait for the trial's verdict

        Feed(breaker, clock, "held", FailureClass.Retryable, 2);
        Assert.Equal((BreakerState.Open, TimeSpan.FromSeconds(20)), (breaker.State, breaker.OpenFor));
        clock.Advance(TimeSpan.FromSeconds(20));
        Feed(breaker, clock, "held", FailureClass.Retryable, 2);
        Assert.Equal((BreakerState.Open, TimeSpan.FromSeconds(30)), (breaker.State, breaker.OpenFor));

        clock.Advance(TimeSpan.FromSeconds(30));
        Feed(breaker, clock, "succeeded", null, 1);
        Feed(breaker, clock, "held", FailureClass.Retryable, 1);
        Assert.Equal(BreakerState.Closed, breaker.State); // 1 of 2 failed: not more than half
        Assert.Equal(TimeSpan.FromSeconds(10), breaker.OpenFor);
        Assert.False(type.IsPaused);
    }

    [Fact]
    public void Breaker_KeepsAnOperatorsPause_WhenItCloses()
    {
        var clock = new FakeTimeProvider(Start);
        var (type, breaker) = Create(clock, new BreakerPolicy { MinSamples = 1, HalfOpenJobs = 1 });
        type.TryPause(PauseHolder.Operator, "maintenance", clock.GetUtcNow());
        Feed(breaker, clock, "retried", FailureClass.Retryable, 1);
        clock.Advance(TimeSpan.FromSeconds(10));
        Feed(breaker, clock, "succeeded", null, 1);

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.True(type.IsPaused);
        Assert.Equal("maintenance", type.Pause!.Reason);
    }

    [Fact]
    public void Window_AddsASuccessWithoutTheLock_OnlyToACurrentBucket_WithNoFailureInside()
    {
        var window = new OutcomeWindow(TimeSpan.FromMinutes(1)); // six buckets of 10 s
        Assert.False(window.TryAddSuccess(Start)); // the bucket has not started this slice: that is the lock's to do
        window.Add(Start, failed: false, null);
        Assert.True(window.TryAddSuccess(Start + TimeSpan.FromSeconds(5)));
        window.Add(Start + TimeSpan.FromSeconds(6), failed: true, "a");
        Assert.False(window.TryAddSuccess(Start + TimeSpan.FromSeconds(7))); // a failure inside: it may open the breaker
        Assert.Equal((3, 1), window.Totals(Start + TimeSpan.FromSeconds(7)));

        window.Add(Start + TimeSpan.FromSeconds(60), failed: false, null); // the failure's bucket has left the window
        Assert.True(window.TryAddSuccess(Start + TimeSpan.FromSeconds(61)));
        Assert.Equal((2, 0), window.Totals(Start + TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public void Breaker_CountsEverySuccessFromManyWorkers_AndStillOpensOnTheFailuresThatFollow()
    {
        // Four workers report 200,000 successes at once, most of them without the lock; then failures come. The
        // breaker must open exactly when failures pass half of all attempts: 200,001 failures, none lost on either side.
        var clock = new FakeTimeProvider(Start);
        var (type, breaker) = Create(clock, new BreakerPolicy { FailureRatio = 0.5, MinSamples = 10 });
        using var ready = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            ready.SignalAndWait();
            Feed(breaker, clock, "succeeded", null, 50_000);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Feed(breaker, clock, "retried", FailureClass.Retryable, 200_000);
        Assert.Equal(BreakerState.Closed, breaker.State); // 200,000 of 400,000 is not more than half

        Feed(breaker, clock, "retried", FailureClass.Retryable, 1);

        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.StartsWith("breaker: 200001 of 400001 attempts failed", type.Pause!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Breaker_OpensOnASuccessThatCompletesTheMinimum_WhenFailuresAreOverTheRatio()
    {
        // A success can open a breaker: three failures of three wait for the fourth sample, and a success brings it.
        var clock = new FakeTimeProvider(Start);
        var (_, breaker) = Create(clock, new BreakerPolicy { FailureRatio = 0.5, MinSamples = 4 });
        Feed(breaker, clock, "retried", FailureClass.Retryable, 3);
        Assert.Equal(BreakerState.Closed, breaker.State);

        Feed(breaker, clock, "succeeded", null, 1);

        Assert.Equal(BreakerState.Open, breaker.State);
    }

    private static (TypeState Type, Breaker Breaker) Create(TimeProvider clock, BreakerPolicy policy)
    {
        var type = new TypeState(new JobRule { Type = "alpha", Breaker = policy }, "mediawiki.job.alpha", new InProcessExecutor(new JobHandlerRegistry(new CourierOptions())));
        var breaker = new Breaker(type, policy, clock, NullLogger.Instance, new CourierTelemetry(), () => { });
        type.Breaker = breaker;
        return (type, breaker);
    }

    private static void Feed(Breaker breaker, TimeProvider clock, string outcome, FailureClass? failure, int count)
    {
        for (var i = 0; i < count; i++)
        {
            breaker.Observe(new OutcomeSample("alpha", outcome, failure, failure is null ? null : "boom", "r1", false, clock.GetUtcNow()));
        }
    }
}
