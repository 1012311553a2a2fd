using System.Runtime.CompilerServices;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// The per-type circuit breaker (<see cref="BreakerPolicy"/>), on every engine. The dispatcher runs on a
/// <see cref="JumpClock"/>: an open period lasts hours and ends only when the test moves the clock past it.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    private const string TitleError = "Title Special: is invalid";

    [Fact]
    public Task Breaker_OpensOnATypeFailingEveryJob_HoldsItsJobsInTheLog_WhileAnotherRuns_ThenClosesOnceFixed() =>
        OpenHoldAndCloseAsync(BrokenRule());

    [Fact]
    public Task Breaker_OfAPartitionedRule_OpensHoldsAndCloses()
    {
        var rule = BrokenRule();
        rule.Partition = new PartitionSpec { Key = "database", Partitions = 2 };
        return OpenHoldAndCloseAsync(rule);
    }

    /// <summary>
    /// Alpha fails every job until its breaker opens; while open none of its jobs starts and beta runs; once the
    /// fault is fixed and the open period over, the trial closes the breaker and every job is delivered exactly once.
    /// </summary>
    private async Task OpenHoldAndCloseAsync(JobRule alphaRule)
    {
        var clock = new JumpClock();
        var broken = new StrongBox<bool>(true);
        await using var h = CreateHarness(Options(alphaRule, Rule("beta")), FailAlphaWhile(broken), time: clock);
        await h.StartAsync();
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 40).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => Stats(h, "alpha").BreakerState == "open", "alpha's breaker opened");

        var open = Stats(h, "alpha");
        Assert.True(open.Paused);
        Assert.False(open.PausedByOperator); // the breaker's pause, not an operator's
        Assert.StartsWith("breaker: ", open.PauseReason, StringComparison.Ordinal);
        Assert.Contains($"(top: {TitleError})", open.PauseReason, StringComparison.Ordinal);
        await h.WaitUntilAsync(() => Stats(h, "alpha").InFlight == 0, "alpha's jobs running at the opening finished");
        var ranBeforeBeta = AlphaExecutions(h, alpha);
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 30).Select(i => new TestParams($"b{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id)), "beta's jobs all ran while alpha's breaker was open");

        Assert.Equal(ranBeforeBeta, AlphaExecutions(h, alpha)); // none of alpha's jobs started while open
        Assert.Equal("open", Stats(h, "alpha").BreakerState);
        Assert.Equal("closed", Stats(h, "beta").BreakerState);
        Assert.Empty(await h.ReadDeadLettersAsync());
        Assert.False(await h.Dispatcher.IsIdleAsync(Ct)); // alpha's jobs wait in the log

        broken.Value = false;
        clock.Jump(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => Stats(h, "alpha").BreakerState == "closed", "the half-open trial succeeded and closed the breaker");
        await h.WaitIdleAsync();
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.Empty(await h.ReadDeadLettersAsync());
        var closed = Stats(h, "alpha");
        Assert.False(closed.Paused);
        Assert.Equal(40, closed.Succeeded);
        Assert.Equal(0, closed.DeadLettered);
        Assert.Equal(0, closed.Pending);
    }

    [Fact]
    public async Task Breaker_WhoseTrialFails_OpensAgainForTwiceAsLong_UpToItsMaximum_AndLosesNoJob()
    {
        var clock = new JumpClock();
        var broken = new StrongBox<bool>(true);
        await using var h = CreateHarness(Options(BrokenRule()), FailAlphaWhile(broken), time: clock);
        await h.StartAsync();
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 30).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => Stats(h, "alpha").BreakerState == "open", "alpha's breaker opened");

        clock.Jump(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => Stats(h, "alpha").PauseReason?.Contains("open again for 2h", StringComparison.Ordinal) == true,
            "the failed trial opened the breaker again for twice as long");
        var held = Stats(h, "alpha").Held;
        Assert.True(held >= 3, $"the trial's failures are held, not spent ({held})");
        clock.Jump(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => Stats(h, "alpha").PauseReason?.Contains("open again for 3h", StringComparison.Ordinal) == true,
            "the second failed trial opened it for its maximum, not four hours");

        broken.Value = false;
        clock.Jump(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => Stats(h, "alpha").BreakerState == "closed", "the third trial closed the breaker");
        await h.WaitIdleAsync();
        AssertRanExactlyOnce(h, alpha);
        Assert.Empty(await h.ReadDeadLettersAsync());
        Assert.Equal(0, Stats(h, "alpha").Pending);
    }

    /// <summary>
    /// Alpha's rule: enough retries that no job runs out of attempts before the breaker opens (the failures before
    /// the opening spend attempts), a breaker judging 10 attempts, open for an hour (three at most).
    /// </summary>
    private static JobRule BrokenRule()
    {
        var rule = Rule("alpha", limit: 10);
        rule.Breaker = new BreakerPolicy
        {
            FailureRatio = 0.5, MinSamples = 10, Window = TimeSpan.FromMinutes(1),
            OpenFor = TimeSpan.FromHours(1), MaxOpenFor = TimeSpan.FromHours(3), HalfOpenJobs = 3,
        };
        return rule;
    }

    /// <summary>Alpha's jobs fail as retryable with the 2019 error while <paramref name="broken"/> holds; the rest behave as usual.</summary>
    private static Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>> FailAlphaWhile(StrongBox<bool> broken) =>
        (job, context, ct) => job.Type == "alpha" && Volatile.Read(ref broken.Value)
            ? ValueTask.FromResult(JobResult.Retry(TitleError))
            : DispatcherHarness.DefaultBehaviour(job, context, ct);

    private static int AlphaExecutions(DispatcherHarness h, IReadOnlyList<EnqueuedJob> alpha) =>
        h.Executions.Count(e => alpha.Any(j => j.Id == e.Id));
}
