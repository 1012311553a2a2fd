using Courier.State;
using System.Collections.Concurrent;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Dispatcher behaviour that must hold on every engine, as tests. An engine's dispatcher test class inherits this and
/// says how to make a harness on its log; every test then runs against that engine.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A harness on the engine under test whose topics have <paramref name="partitions"/> partitions by default, its
    /// dispatcher on <paramref name="time"/> (the system clock by default), its state store (if the engine's harness has
    /// one) wrapped by <paramref name="wrapStore"/> when given (to observe what the dispatcher asks of it).
    /// </summary>
    protected abstract DispatcherHarness CreateHarness(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null, int partitions = 4, TimeProvider? time = null,
        Func<IJobStateStore, IJobStateStore>? wrapStore = null);

    protected static DispatcherOptions Options(params JobRule[] rules)
    {
        var options = new DispatcherOptions
        {
            GroupId = "test-dispatcher",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
        };
        foreach (var rule in rules)
        {
            options.Rules.Add(rule);
        }
        return options;
    }

    protected static JobRule Rule(string type, int limit = 2, int concurrency = 8, int timeoutMs = 10_000) => new()
    {
        Type = type,
        Concurrency = concurrency,
        Timeout = TimeSpan.FromMilliseconds(timeoutMs),
        Retry = new RetryPolicy { Limit = limit, Delay = TimeSpan.FromMilliseconds(50), Factor = 2 },
    };

    /// <summary>
    /// A harness whose handler pauses <paramref name="type"/> on the harness's dispatcher when a job's first attempt
    /// runs, so the retry that attempt fails into waits in its tier until the type is resumed.
    /// </summary>
    private DispatcherHarness CreateHarnessHoldingRetries(DispatcherOptions options, string type)
    {
        DispatcherHarness? harness = null;
        return harness = CreateHarness(options, async (job, context, ct) =>
        {
            if (context.Attempt == 1)
            {
                harness!.Dispatcher.Pause(type, "holding the retry");
            }
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        });
    }

    /// <summary>Starts the dispatcher and enqueues one job that fails once; returns it once its retry waits in a tier.</summary>
    private static async Task<EnqueuedJob> StartWithOneRetryHeldAsync(DispatcherHarness h, string type)
    {
        await h.StartAsync();
        var job = (await h.EnqueueAsync(type, [new TestParams("retried", FailAttempts: 1)]))[0];
        await h.WaitUntilAsync(() => Stats(h, type).Retried == 1, "the first attempt failed into a retry tier");
        return job;
    }

    [Fact]
    public async Task Dispatcher_RunsEveryJobExactlyOnce_WhenAllSucceed()
    {
        await using var h = CreateHarness(Options(Rule("alpha")));
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 500).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(jobs.Select(j => j.Id).Order(), h.Succeeded.Keys.Order());
        Assert.All(h.Succeeded.Values, n => Assert.Equal(1, n));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(500, stats.Started);
        Assert.Equal(500, stats.Succeeded);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task Dispatcher_RetriesTransientFailures_UntilTheySucceed()
    {
        await using var h = CreateHarness(Options(Rule("alpha", limit: 2)));
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("once", FailAttempts: 1), new TestParams("twice", FailAttempts: 2)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, h.Succeeded.Count);
        var attempts = h.Executions.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Select(e => e.Attempt).Order().ToArray());
        Assert.Equal([1, 2], attempts[jobs[0].Id]);
        Assert.Equal([1, 2, 3], attempts[jobs[1].Id]);
        Assert.Empty(await h.ReadDeadLettersAsync());
        Assert.Equal(3, h.Dispatcher.GetStats().Single().Retried);
    }

    [Fact]
    public async Task Dispatcher_DeadLettersWithClassRetryable_AfterTheRetryLimit()
    {
        await using var h = CreateHarness(Options(Rule("alpha", limit: 2)));
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("forever", FailAttempts: 100)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Retryable, letter.Class);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal(jobs[0].Id, letter.JobId);
        Assert.Equal("alpha", letter.JobType);
        Assert.Equal(h.JobTopic("alpha"), letter.OriginTopic);
        Assert.Equal("in-process", letter.Executor);
        Assert.Contains("transient failure on attempt 3", letter.Message, StringComparison.Ordinal);
        Assert.NotNull(letter.FailedAt);
        var original = h.CourierOptions is { } o ? new JobEventCodec(o).Decode(letter.OriginalEvent.Span) : default;
        Assert.Equal(jobs[0].Id, original.Event!.Meta.Id);
    }

    [Fact]
    public async Task Dispatcher_ExecutesEachAttemptAsAChildOfTheEnqueuingActivity_ThroughTheRecordHeaders()
    {
        using var recorder = new ActivityRecorder(CourierTelemetry.Name);
        await using var h = CreateHarness(Options(Rule("alpha", limit: 1)));
        var producer = new System.Diagnostics.Activity("enqueue").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C);
        producer.TraceStateString = "courier=test";
        producer.Start();
        try
        {
            await h.EnqueueAsync("alpha", [new TestParams("twice", FailAttempts: 2)]);
        }
        finally
        {
            producer.Stop();
        }
        await h.StartAsync();
        await h.WaitIdleAsync();

        // Attempt 1 from the job topic, attempt 2 from the retry record, which carried the trace headers on.
        var attempts = recorder.Of(producer.TraceId);
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem("courier.job.attempt")!).Order());
        Assert.All(attempts, a =>
        {
            Assert.Equal("process alpha", a.DisplayName);
            Assert.Equal(producer.SpanId, a.ParentSpanId);
            Assert.Equal("courier=test", a.TraceStateString);
            Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, a.Status);
        });
    }

    [Fact]
    public async Task Dispatcher_NeverRetriesPermanentFailures()
    {
        await using var h = CreateHarness(Options(Rule("alpha", limit: 5)));
        await h.EnqueueAsync("alpha", [new TestParams("x", Fail: "recipient does not exist")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Single(h.Executions);
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Permanent, letter.Class);
        Assert.Equal("recipient does not exist", letter.Message);
    }

    [Fact]
    public async Task Dispatcher_CommitsOnlyTheContiguousPrefix_WhenJobsFinishOutOfOrder()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(Rule("alpha", concurrency: 16));
        await using var h = CreateHarness(options, async (job, context, ct) =>
        {
            if (job.Params.Name == "blocker")
            {
                await gate.Task.WaitAsync(ct);
            }
            return JobResult.Success;
        }, partitions: 2);
        var topic = h.JobTopic("alpha");
        var blocked = new TopicPartition(topic, 0);
        var witness = new TopicPartition(topic, 1);
        await h.Log.EnsureTopicAsync(topic, 2, Ct);
        await h.ProduceJobsAsync("alpha", 0, new[] { new TestParams("blocker") }.Concat(Enumerable.Range(0, 9).Select(i => new TestParams($"after{i}"))));
        await h.StartAsync();
        await h.WaitUntilAsync(() => h.Succeeded.Count == 9, "the 9 jobs behind the blocker succeed");

        // A job on the other partition, finished after those 9: once its offset is committed, a commit has been made
        // since the 9 finished (the one that carried it, or a later one), and that commit must still stop at the blocker.
        await h.ProduceJobsAsync("alpha", 1, [new TestParams("witness")]);
        await h.WaitUntilAsync(async () => (await h.Log.GetCommittedOffsetsAsync(options.GroupId, [witness], Ct)).GetValueOrDefault(witness) == 1,
            "the witness job on the other partition is committed");
        var committed = await h.Log.GetCommittedOffsetsAsync(options.GroupId, [blocked], Ct);
        Assert.True(!committed.TryGetValue(blocked, out var offset) || offset == 0, $"committed {offset} past an in-flight job");

        gate.SetResult();
        await h.WaitIdleAsync();
        committed = await h.Log.GetCommittedOffsetsAsync(options.GroupId, [blocked, witness], Ct);
        Assert.Equal(10, committed[blocked]);
        Assert.Equal(1, committed[witness]);
    }

    [Fact]
    public async Task Dispatcher_HonoursRetryLimitZero_DeadLetteringOnTheFirstFailure()
    {
        // The original read `retry_limit || 2`, so 0 meant 2 retries; 0 must mean none.
        await using var h = CreateHarness(Options(Rule("alpha", limit: 0)));
        await h.EnqueueAsync("alpha", [new TestParams("x", FailAttempts: 1)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Single(h.Executions);
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(1, letter.Attempts);
        Assert.Equal(FailureClass.Retryable, letter.Class);
    }

    [Fact]
    public async Task Dispatcher_BackpressureDoesNotSpendAnAttempt()
    {
        var calls = new ConcurrentDictionary<string, int>();
        await using var h = CreateHarness(Options(Rule("alpha", limit: 0)), (job, context, ct) =>
        {
            var n = calls.AddOrUpdate(job.Id, 1, (_, c) => c + 1);
            // Busy twice, then fine: with limit 0 this only succeeds if backpressure spends no attempt.
            return ValueTask.FromResult(n <= 2 ? JobResult.Backpressure(TimeSpan.FromMilliseconds(30), "read-only") : JobResult.Success);
        });
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("x")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(1, h.Succeeded[jobs[0].Id]);
        Assert.All(h.Executions, e => Assert.Equal(1, e.Attempt));
        Assert.Equal(3, h.Executions.Count);
        Assert.Equal(2, h.Dispatcher.GetStats().Single().Backpressured);
    }

    [Fact]
    public async Task Dispatcher_CancelsTheHandlersToken_WhenTheRuleTimeoutPasses()
    {
        var cancelled = 0;
        await using var h = CreateHarness(Options(Rule("alpha", limit: 1, timeoutMs: 100)), async (job, context, ct) =>
        {
            if (context.Attempt == 1)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }
            }
            return JobResult.Success;
        });
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("slow")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(1, cancelled);
        Assert.Equal(1, h.Succeeded[jobs[0].Id]);
        Assert.Equal([1, 2], h.Executions.Select(e => e.Attempt).Order().ToArray());
    }

    [Fact]
    public async Task Dispatcher_CountsIgnoredFailuresSeparately()
    {
        var rule = Rule("alpha");
        rule.Ignore.Add(FailureClass.Permanent);
        await using var h = CreateHarness(Options(rule));
        await h.EnqueueAsync("alpha", [new TestParams("x", Fail: "precondition failed")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(1, stats.Ignored);
        Assert.Equal(0, stats.Succeeded);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }
}
