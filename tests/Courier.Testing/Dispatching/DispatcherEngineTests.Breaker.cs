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

    /// <summary>Most holds of one job while its type's breaker is tripping (the dispatcher's bound).</summary>
    private const int MaxTrippingHolds = 3;

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

    [Fact]
    public Task Breaker_OfATypeFailingEveryJobPermanently_HoldsTheFailuresThatTrippedIt_AndDeadLettersNone() =>
        OpenHoldAndCloseAsync(BrokenRule(limit: 0), permanent: true);

    /// <summary>
    /// Alpha fails every job until its breaker opens; while open none of its jobs starts and beta runs; once the
    /// fault is fixed and the open period over, the trial closes the breaker and every job is delivered exactly once.
    /// The failures before the opening were held too (the breaker was tripping): none was dead-lettered, even
    /// <paramref name="permanent"/> ones with no retry left.
    /// </summary>
    private async Task OpenHoldAndCloseAsync(JobRule alphaRule, bool permanent = false)
    {
        var clock = new JumpClock();
        var broken = new StrongBox<bool>(true);
        await using var h = CreateHarness(Options(alphaRule, Rule("beta")), FailAlphaWhile(broken, permanent), time: clock);
        await h.StartAsync();
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 40).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => Stats(h, "alpha").BreakerState == "open", "alpha's breaker opened");

        var open = Stats(h, "alpha");
        Assert.True(open.Paused);
        Assert.StartsWith("breaker: ", open.PauseReason, StringComparison.Ordinal);
        Assert.Contains($"(top: {TitleError})", open.PauseReason, StringComparison.Ordinal);
        Assert.True(open.Held >= 10, $"the failures that tripped the breaker were held ({open.Held})");
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
    /// A quiet type's one genuinely bad job trips its breaker (its failure is most of a window that never reaches
    /// min_samples): it is held <see cref="MaxTrippingHolds"/> times, then follows its rule and is dead-lettered, not
    /// held forever. Once successes fill the window the type is no longer tripping: the next bad job is dead-lettered
    /// at once.
    /// </summary>
    [Fact]
    public async Task Breaker_TrippedByAQuietTypesOneBadJob_HoldsItABoundedNumberOfTimes_ThenDeadLettersIt()
    {
        var rule = Rule("alpha", limit: 0);
        rule.Breaker = new BreakerPolicy { Window = TimeSpan.FromHours(1) }; // min_samples 20: never reached here
        await using var h = CreateHarness(Options(rule));
        await h.StartAsync();
        var bad = await h.EnqueueAsync("alpha", [new TestParams("bad", Fail: "no such page")]);
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal((bad[0].Id, FailureClass.Permanent, 1), (letter.JobId, letter.Class, letter.Attempts));
        Assert.Equal(MaxTrippingHolds + 1, h.Executions.Count(e => e.Id == bad[0].Id));
        Assert.Equal((MaxTrippingHolds, 1L, "closed"), (Stats(h, "alpha").Held, Stats(h, "alpha").DeadLettered, Stats(h, "alpha").BreakerState));

        var good = await h.EnqueueAsync("alpha", Enumerable.Range(0, 10).Select(i => new TestParams($"good{i}")));
        await h.WaitIdleAsync();
        var second = await h.EnqueueAsync("alpha", [new TestParams("bad again", Fail: "no such page")]);
        await h.WaitIdleAsync();

        AssertRanExactlyOnce(h, good);
        Assert.Equal(2, (await h.ReadDeadLettersAsync()).Count);
        Assert.Equal(1, h.Executions.Count(e => e.Id == second[0].Id)); // with it 5 of 15 attempts failed: not tripping
        Assert.Equal(MaxTrippingHolds, Stats(h, "alpha").Held);
    }

    /// <summary>
    /// Alpha's rule: <paramref name="limit"/> retries (the failures before the opening are held while the breaker is
    /// tripping, so none is spent), a breaker judging 10 attempts, open for an hour (three at most).
    /// </summary>
    private static JobRule BrokenRule(int limit = 10)
    {
        var rule = Rule("alpha", limit);
        rule.Breaker = new BreakerPolicy
        {
            FailureRatio = 0.5, MinSamples = 10, Window = TimeSpan.FromMinutes(1),
            OpenFor = TimeSpan.FromHours(1), MaxOpenFor = TimeSpan.FromHours(3), HalfOpenJobs = 3,
        };
        return rule;
    }

    /// <summary>
    /// Alpha's jobs fail with the 2019 error while <paramref name="broken"/> holds, as retryable (or
    /// <paramref name="permanent"/>); the rest behave as usual.
    /// </summary>
    private static Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>> FailAlphaWhile(StrongBox<bool> broken,
        bool permanent = false) =>
        (job, context, ct) => job.Type == "alpha" && Volatile.Read(ref broken.Value)
            ? ValueTask.FromResult(permanent ? JobResult.Fail(TitleError) : JobResult.Retry(TitleError))
            : DispatcherHarness.DefaultBehaviour(job, context, ct);

    private static int AlphaExecutions(DispatcherHarness h, IReadOnlyList<EnqueuedJob> alpha) =>
        h.Executions.Count(e => alpha.Any(j => j.Id == e.Id));
}
