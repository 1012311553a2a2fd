using Xunit;

namespace Courier.Testing;

/// <summary>Pausing and resuming one job type's consumption (<see cref="Dispatcher.Pause"/>), on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Pause_HoldsOneTypeInTheLog_WhileAnotherFlows_AndResumeRunsEachJobExactlyOnce()
    {
        await using var h = CreateHarness(Options(Rule("alpha"), Rule("beta")));
        await h.StartAsync();
        h.Dispatcher.Pause("alpha", "test pause");
        h.Dispatcher.Pause("alpha", "second pause keeps the first");
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 50).Select(i => new TestParams($"b{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id)), "beta's jobs all ran while alpha was paused");

        Assert.DoesNotContain(h.Executions, e => alpha.Any(j => j.Id == e.Id));
        var paused = Stats(h, "alpha");
        Assert.True(paused.Paused);
        Assert.True(paused.PausedByOperator);
        Assert.Equal("test pause", paused.PauseReason);
        Assert.NotNull(paused.PausedSince);
        Assert.False(Stats(h, "beta").Paused);
        Assert.False(await h.Dispatcher.IsIdleAsync(Ct)); // alpha's jobs wait in the log

        h.Dispatcher.Resume("alpha");
        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.Empty(await h.ReadDeadLettersAsync());
        var resumed = Stats(h, "alpha");
        Assert.False(resumed.Paused);
        Assert.False(resumed.PausedByOperator);
        Assert.Null(resumed.PauseReason);
        Assert.Equal(20, resumed.Succeeded);
        Assert.Equal(0, resumed.Pending);
    }

    [Fact]
    public async Task Pause_OfAnUnknownType_NamesTheKnownOnes()
    {
        await using var h = CreateHarness(Options(Rule("alpha"), Rule("beta")));
        var error = Assert.Throws<ArgumentException>(() => h.Dispatcher.Pause("gamma", "no such type"));
        Assert.Contains("alpha, beta", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => h.Dispatcher.Resume("gamma"));
    }

    [Fact]
    public async Task Pause_WhileARetryWaits_KeepsTheRetryInItsTier_UntilResumed()
    {
        DispatcherHarness? harness = null;
        await using var h = harness = CreateHarness(Options(Rule("alpha"), Rule("beta", concurrency: 1)), async (job, context, ct) =>
        {
            if (job.Params.Name == "retried" && context.Attempt == 1)
            {
                harness!.Dispatcher.Pause("alpha", "paused by its first attempt");
            }
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        });
        await h.StartAsync();
        var alpha = await h.EnqueueAsync("alpha", [new TestParams("retried", FailAttempts: 1)]);
        await h.WaitUntilAsync(() => Stats(h, "alpha").Retried == 1, "alpha's first attempt failed into a retry tier");
        // Beta's jobs run one after the other for far longer than the retry's 50 ms delay.
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 5).Select(i => new TestParams($"b{i}", DelayMs: 100)));
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id)), "beta's jobs all ran");

        Assert.Equal([1], h.Executions.Where(e => e.Id == alpha[0].Id).Select(e => e.Attempt));
        Assert.Equal(1, Stats(h, "alpha").Pending);

        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();
        Assert.Equal([1, 2], h.Executions.Where(e => e.Id == alpha[0].Id).Select(e => e.Attempt).Order());
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Pause_WhileTheBudgetIsFull_LetsRunningJobsFinish_AndStartsNoneOfTheHeldOnes_UntilResumed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 2), Rule("beta")), async (job, context, ct) =>
        {
            if (job.Params.Name.StartsWith('a'))
            {
                await gate.Task.WaitAsync(ct);
            }
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        });
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 10).Select(i => new TestParams($"a{i}")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => Stats(h, "alpha").InFlight == 2 && h.Executions.Count == 2, "alpha's budget is full");

        await PauseWhileRunning_ThenResumeAsync(h, gate, alpha, running: 2, "budget exhausted");
        Assert.Equal(0, Stats(h, "alpha").Pending);
    }

    [Fact]
    public async Task Pause_OfAPartitionedRule_HoldsItsPartitionedTopic_UntilResumed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var alphaRule = Rule("alpha", concurrency: 1);
        alphaRule.Partition = new PartitionSpec { Key = "database", Partitions = 2 };
        await using var h = CreateHarness(Options(alphaRule, Rule("beta")), async (job, context, ct) =>
        {
            if (job.Params.Name == "a0")
            {
                await gate.Task.WaitAsync(ct);
            }
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        });
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 10).Select(i => new TestParams($"a{i}")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => Stats(h, "alpha").Partitioned == 10 && h.Executions.Count == 1,
            "every alpha job forwarded to the partitioned topic, the first one running");

        await PauseWhileRunning_ThenResumeAsync(h, gate, alpha, running: 1, "partitioned");
    }

    /// <summary>
    /// Pauses alpha while <paramref name="running"/> of its jobs wait on <paramref name="gate"/>, lets them finish,
    /// shows that beta flows and no other alpha job starts, then resumes: every job runs once, none dead-lettered.
    /// </summary>
    private static async Task PauseWhileRunning_ThenResumeAsync(DispatcherHarness h, TaskCompletionSource gate,
        IReadOnlyList<EnqueuedJob> alpha, int running, string reason)
    {
        h.Dispatcher.Pause("alpha", reason);
        gate.SetResult();
        await h.WaitUntilAsync(() => Stats(h, "alpha").Succeeded >= running, "the running jobs finished");
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 20).Select(i => new TestParams($"b{i}")));
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id)), "beta's jobs all ran");
        Assert.Equal(running, h.Executions.Count(e => alpha.Any(j => j.Id == e.Id)));

        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    private static JobTypeStats Stats(DispatcherHarness h, string type) => h.Dispatcher.GetStats().Single(s => s.Type == type);

    private static void AssertRanExactlyOnce(DispatcherHarness h, IEnumerable<EnqueuedJob> jobs)
    {
        var ids = jobs.Select(j => j.Id).ToList();
        Assert.Equal(ids.Order(), h.Succeeded.Keys.Where(ids.Contains).Order());
        Assert.All(ids, id => Assert.Equal(1, h.Succeeded[id]));
    }
}
