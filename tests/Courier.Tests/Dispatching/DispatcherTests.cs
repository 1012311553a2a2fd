using Courier.Dispatching.Routing;
using Courier.State;
using Courier.Testing;
using System.Collections.Concurrent;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>
/// The dispatcher on the SQLite log: the shared <see cref="DispatcherEngineTests"/>, and scenarios that use what only the
/// SQLite harness offers (a wrapped log, many jobs at no cost) or that run on it alone for speed.
/// </summary>
public sealed class DispatcherTests : DispatcherEngineTests
{
    protected override DispatcherHarness CreateHarness(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null, int partitions = 4, TimeProvider? time = null,
        Func<IJobStateStore, IJobStateStore>? wrapStore = null) =>
        Harness.Sqlite(options, handle, partitions: partitions, time: time, wrapStore: wrapStore);

    [Fact]
    public async Task Dispatcher_KeepsEachTypeWithinItsConcurrency_AndASlowTypeDoesNotStarveAnother()
    {
        var running = new ConcurrentDictionary<string, int>();
        var peak = new ConcurrentDictionary<string, int>();
        var slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = Harness.Sqlite(Options(Rule("slow", concurrency: 3), Rule("fast", concurrency: 4)), async (job, context, ct) =>
        {
            var now = running.AddOrUpdate(job.Type, 1, (_, n) => n + 1);
            peak.AddOrUpdate(job.Type, now, (_, p) => Math.Max(p, now));
            try
            {
                if (job.Type == "slow")
                {
                    await slowGate.Task.WaitAsync(ct);
                }
                else
                {
                    await Task.Yield();
                }
                return JobResult.Success;
            }
            finally
            {
                running.AddOrUpdate(job.Type, 0, (_, n) => n - 1);
            }
        });
        await h.EnqueueAsync("slow", Enumerable.Range(0, 50).Select(i => new TestParams($"s{i}")));
        var fast = await h.EnqueueAsync("fast", Enumerable.Range(0, 200).Select(i => new TestParams($"f{i}")));
        await h.StartAsync();

        // Every fast job finishes while the slow type is stuck at its budget.
        await h.WaitUntilAsync(() => fast.All(j => h.Succeeded.ContainsKey(j.Id)), "every fast job succeeds (none starved)");
        Assert.Equal(3, running.GetValueOrDefault("slow"));
        slowGate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(250, h.Succeeded.Count);
        Assert.True(peak["slow"] <= 3, $"slow peaked at {peak["slow"]}");
        Assert.True(peak["fast"] <= 4, $"fast peaked at {peak["fast"]}");
    }

    [Fact]
    public async Task Dispatcher_HandsOverLargeRecordsBeyondItsConcurrency_OnlyUpToTheByteBound()
    {
        // Concurrency 2, records of ~300 KB: two run, and beyond them records are handed over while those handed over
        // hold less than 1 MiB, so four in all (the 1,024 records a small job may have ahead would be 6 GB of heap at
        // 300 KB each). Every byte counted is given back when the jobs are done.
        const int Size = 300_000;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Budget? budget = null;
        var most = 0;
        await using var h = Harness.Sqlite(Options(Rule("alpha", concurrency: 2)), async (job, context, ct) =>
        {
            InterlockedMax(ref most, Volatile.Read(ref budget!.InFlight));
            await gate.Task.WaitAsync(ct);
            return JobResult.Success;
        }, partitions: 1);
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"j{i}-" + new string('x', Size))));
        budget = h.Dispatcher.BudgetOf("alpha")!;
        await h.StartAsync();

        await h.WaitUntilAsync(() => h.Executions.Count == 2 && Volatile.Read(ref budget.InFlight) == 4, "two run and two more are handed over");
        Assert.InRange(Volatile.Read(ref budget.InFlightBytes), 4L * Size, 4L * Size + 4 * 4096);
        gate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(20, h.Succeeded.Count);
        Assert.InRange(most, 1, 4);
        Assert.Equal(0, budget.InFlight);
        Assert.Equal(0, budget.InFlightBytes);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Dispatcher_RunsDelayedJobs_NotBeforeTheirTime()
    {
        var startedAt = new ConcurrentDictionary<string, DateTimeOffset>();
        await using var h = Harness.Sqlite(Options(Rule("alpha")), (job, context, ct) =>
        {
            startedAt[job.Id] = DateTimeOffset.UtcNow;
            return ValueTask.FromResult(JobResult.Success);
        });
        await h.StartAsync();
        var notBefore = DateTimeOffset.UtcNow.AddMilliseconds(400);
        var job = await h.Client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams("later"), DelayUntil = notBefore }, Ct);
        await h.WaitIdleAsync();

        Assert.True(startedAt.TryGetValue(job.Id, out var started), "the delayed job never ran");
        Assert.True(started >= notBefore, $"a delayed job ran early: {started:O} < {notBefore:O}");
        Assert.Equal(1, h.Dispatcher.GetStats().Single().Started);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Dispatcher_LeavesJobsCancelledByShutdownUncommitted_SoTheyAreRedelivered()
    {
        var options = Options(Rule("alpha"));
        options.ShutdownDrainTimeout = TimeSpan.FromMilliseconds(100);
        await using var h = Harness.Sqlite(options, async (job, context, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // never finishes by itself
            return JobResult.Success;
        });
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("stuck")]);
        await h.StartAsync();
        await h.WaitUntilAsync(() => !h.Executions.IsEmpty, "the job starts");
        await h.Dispatcher.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await h.ReadDeadLettersAsync());
        var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartition("mediawiki.job.alpha", p)).ToList();
        var committed = await h.Log.GetCommittedOffsetsAsync(options.GroupId, partitions, Ct);
        var position = jobs[0].Position;
        Assert.True(!committed.TryGetValue(position.TopicPartition, out var c) || c <= position.Offset, "a cancelled job was committed");
    }

    [Fact]
    public async Task Dispatcher_CountsReplayedDeadLetters_AsStartsOfTheirOwn()
    {
        await using var h = Harness.Sqlite(Options(Rule("alpha")));
        var producer = h.Log.CreateProducer();
        var jobEvent = h.Client.BuildEvent(new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams("again") });
        await producer.ProduceAsync([new OutgoingRecord("mediawiki.job.alpha", "testwiki", new JobEventCodec(h.CourierOptions).Encode(jobEvent),
            [new LogHeader(CourierHeaders.ReplayOf, "courier.error:0:7"u8.ToArray())])], Ct);
        producer.Dispose();
        await h.StartAsync();
        await h.WaitIdleAsync();

        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(1, stats.Started);
        Assert.Equal(1, stats.Replayed);
        Assert.Equal(1, stats.Succeeded);
    }

    [Fact]
    public async Task Dispatcher_StartsInOffsetOrderAndLosesNothing_WhenABudgetHoldOverflowsAndPauses()
    {
        // Concurrency 1 on one partition: while the first job blocks, far more records arrive than the dispatcher
        // hands its workers (1 + 1,024) and a partition may hold (64) on top, so the partition is paused, resumed and
        // read again; every job must still run once, in order.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new ConcurrentQueue<string>();
        CountingJobLog? log = null;
        await using var h = Harness.Sqlite(Options(Rule("alpha", concurrency: 1)), async (job, context, ct) =>
        {
            order.Enqueue(job.Params.Name);
            if (job.Params.Name == "j0")
            {
                await gate.Task.WaitAsync(ct);
            }
            return JobResult.Success;
        }, wrap: inner => log = new CountingJobLog(inner));
        await h.Log.EnsureTopicAsync("mediawiki.job.alpha", 1, Ct);
        const int jobs = 1_500;
        await h.EnqueueAsync("alpha", Enumerable.Range(0, jobs).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        // The hold fills up behind the blocked first job until the dispatcher pauses the partition.
        await h.WaitUntilAsync(() => log!.PauseCalls > 0, "the partition is paused behind the blocked first job");
        Assert.Equal(["j0"], order);
        Assert.Equal(0, log!.ResumeCalls);
        gate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(Enumerable.Range(0, jobs).Select(i => $"j{i}"), order);
        Assert.Equal(jobs, h.Succeeded.Count);
        Assert.True(log.ResumeCalls > 0, "the paused partition was never resumed");
    }

    [Fact]
    public async Task Dispatcher_ReportsLagPerPartition_AndTheAgeOfTheOldestPendingJob()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CountingJobLog? log = null;
        await using var h = Harness.Sqlite(Options(Rule("alpha", concurrency: 2)), async (job, context, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return JobResult.Success;
        }, wrap: inner => log = new CountingJobLog(inner));
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 40).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => h.Executions.Count >= 2, "two jobs in flight");
        // The oldest-pending figure is published with the commits (every commit interval): wait for it to appear.
        await h.WaitUntilAsync(() => h.Dispatcher.OldestPendingAge().ContainsKey("alpha"), "an oldest-pending age is published for alpha");

        var lags = await h.Dispatcher.ReadLagAsync(Ct);
        Assert.Same(lags, h.Dispatcher.LastLag!.Partitions); // kept for whoever asks next without reading the log
        Assert.Equal(40, lags.Where(l => l.Partition.Topic == "mediawiki.job.alpha").Sum(l => l.Lag));
        Assert.All(lags.Where(l => l.Partition.Topic != "mediawiki.job.alpha"), l => Assert.Equal(0, l.Lag));
        Assert.Equal(2, h.Executions.Count);
        // Watermarks are read in batches, never partition by partition (a round trip each on Kafka).
        Assert.True(log!.BatchedWatermarkReads > 0);
        Assert.Equal(0, log.SingleWatermarkReads);

        gate.SetResult();
        await h.WaitIdleAsync();
        Assert.All(await h.Dispatcher.ReadLagAsync(Ct), l => Assert.Equal(0, l.Lag));
        // With nothing pending the next publication drops the type.
        await h.WaitUntilAsync(() => !h.Dispatcher.OldestPendingAge().ContainsKey("alpha"), "the oldest-pending age of alpha is withdrawn");
    }
}
