using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// The consumer thread hands ready records to the workers in batches: nothing may be lost, run twice or run out of
/// order on its partition, the budget still bounds what runs, and a handler that blocks its thread must not hold the
/// records batched behind it.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Dispatcher_StartsBatchedJobsInOffsetOrder_AndLosesNone_UnderAFullBudget()
    {
        // Concurrency 1 on one partition: the budget is full at every record, and each job starts only after the one
        // before it finished, so the start order is the offset order.
        var order = new ConcurrentQueue<string>();
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), async (job, context, ct) =>
        {
            order.Enqueue(job.Params.Name);
            await Task.Yield();
            return JobResult.Success;
        }, partitions: 1);
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 300).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"j{i}"), order);
        Assert.Equal(300, h.Succeeded.Count);
        Assert.All(h.Succeeded.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Dispatcher_RunsEveryBatchedJobOnce_WithinItsConcurrency()
    {
        var running = 0;
        var most = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 8)), async (job, context, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (job.Params.Name == "j0")
            {
                await gate.Task.WaitAsync(ct); // holds one slot while the rest stream past it
            }
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return JobResult.Success;
        });
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 600).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => h.Succeeded.Count == 599, "every job but the held one succeeds");
        gate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(600, h.Succeeded.Count);
        Assert.All(h.Succeeded.Values, n => Assert.Equal(1, n));
        Assert.InRange(most, 1, 8);
    }

    [Fact]
    public async Task Dispatcher_StartsTheRestOfABatch_WhileAHandlerBlocksItsThread()
    {
        // j0 blocks its thread (no await) until j1..j7 have started: if the records batched behind it waited for its
        // thread, they never would.
        var started = new ConcurrentDictionary<string, bool>();
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 8)), (job, context, ct) =>
        {
            started[job.Params.Name] = true;
            if (job.Params.Name == "j0")
            {
                var others = SpinWait.SpinUntil(() => started.Count == 8, TimeSpan.FromMinutes(1)); // a hang backstop only
                return ValueTask.FromResult(others ? JobResult.Success : JobResult.Fail("the jobs behind j0 never started"));
            }
            return ValueTask.FromResult(JobResult.Success);
        }, partitions: 1);
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 8).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(8, h.Succeeded.Count);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Stop_GivesBackTheRecordsHandedOverBeyondTheConcurrency_UnrunAndUncommitted()
    {
        // Concurrency 2 with two jobs that never finish by themselves: the records behind them are handed to the
        // workers (more than the concurrency may be) and wait for a running slot. Stopping must not run them, nor
        // commit past them: a dispatcher of the same group then runs every job.
        var options = Options(Rule("alpha", concurrency: 2));
        options.ShutdownDrainTimeout = TimeSpan.FromMilliseconds(200);
        await using var h = CreateHarness(options, async (job, context, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // stopped by the drain's abort
            return JobResult.Success;
        }, partitions: 1);
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => h.Executions.Count == 2 && Stats(h, "alpha").InFlight == 2, "two jobs hold both running slots");
        await h.Dispatcher.StopAsync(Ct);

        Assert.Equal(jobs.Take(2).Select(j => j.Id).Order(), h.Executions.Select(e => e.Id).Order()); // the first two, alone
        var partition = new TopicPartition(h.JobTopic("alpha"), 0);
        var committed = await h.Log.GetCommittedOffsetsAsync(options.GroupId, [partition], Ct);
        Assert.True(!committed.TryGetValue(partition, out var offset) || offset == 0, $"committed {offset} past jobs that never ran");

        var ran = new ConcurrentQueue<string>();
        var registry = new JobHandlerRegistry(h.CourierOptions).Add("alpha", new DelegateHandler<TestParams>((job, _, _) =>
        {
            ran.Enqueue(job.Id);
            return ValueTask.FromResult(JobResult.Success);
        }));
        var nextOptions = Options(Rule("alpha", concurrency: 2));
        nextOptions.GroupId = options.GroupId;
        await using var next = new Dispatcher(h.Log, new InProcessExecutor(registry), nextOptions, h.CourierOptions, h.Telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
        await next.StartAsync(Ct);
        await DispatcherIdle.WaitAsync(next);
        Assert.Equal(jobs.Select(j => j.Id).Order(), ran.Order());
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
}
