using System.Collections.Concurrent;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Run claims: two readers of one record never run it at once (a group member expelled from its group keeps fetching
/// until it hears so, while the partition's new owner reads the same records), and a run stopped by shutdown gives
/// its claim back. The second reader here is a dispatcher in a group of its own, so it reads every record again.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task RunClaim_ARecordTwoDispatchersReadAtOnce_RunsOnce_TheSecondWaitsAndEndsDeduplicated()
    {
        var release = new TaskCompletionSource();
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), FirstWaitsFor(release, JobResult.Success), partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var job = await h.Client.EnqueueAsync(Plain("once"), Ct);
        await h.StartAsync();
        await h.WaitUntilAsync(() => !h.Executions.IsEmpty, "the first dispatcher runs the job");

        var executions = new ConcurrentQueue<string>();
        await using var second = SecondDispatcher(h, "expelled-member", h.StateStore!, executions, TimeProvider.System);
        await second.StartAsync(Ct);
        await h.WaitUntilAsync(async () => await RetryRecordsAsync(h) > 0, "the second reader waited in a retry tier on the first one's run");
        Assert.Empty(executions);
        release.SetResult();
        await h.WaitIdleAsync();
        await DispatcherIdle.WaitAsync(second);

        Assert.Empty(executions);
        Assert.Equal(job.Id, Assert.Single(h.Executions).Id);
        var first = h.Dispatcher.GetStats().Single();
        var other = second.GetStats().Single();
        // The second dispatcher's wait ended deduplicated once the run it waited on had succeeded. Both groups read the
        // retry tier, so each may also end (or wait again on) the other's copies, which its counts never started: in a
        // deployment one group reads it. The pending counts say nothing here.
        Assert.Equal((1L, 0L), (first.Succeeded, first.Retried));
        Assert.Equal((1L, 0L, 0L), (other.Started, other.Succeeded, other.Retried));
        Assert.True(other.Deduplicated >= 1, $"the second dispatcher's wait did not end deduplicated: {other}");
    }

    [Fact]
    public async Task RunClaim_OfARunStoppedByShutdown_IsGivenBack_SoTheNextReaderRunsItWithoutWaiting()
    {
        var options = Options(Rule("alpha", concurrency: 1));
        options.ShutdownDrainTimeout = TimeSpan.FromMilliseconds(100);
        await using var h = CreateHarness(options, async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct); // never finishes by itself
            return JobResult.Success;
        }, partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var job = await h.Client.EnqueueAsync(Plain("stopped"), Ct);
        await h.StartAsync();
        await h.WaitUntilAsync(() => !h.Executions.IsEmpty, "the job starts");
        await h.Dispatcher.StopAsync(Ct);

        var (executions, stats) = await ReadEverythingAgainAsync(h, "next-owner");

        Assert.Equal([job.Id], executions);
        Assert.Equal((1L, 0L, 0L), (stats.Succeeded, stats.Deduplicated, stats.Pending));
        Assert.Equal(0, await RetryRecordsAsync(h)); // it never waited on the stopped run's claim
    }

    [Fact]
    public async Task RunClaim_LeftByADeadDispatcher_Lapses_AndTheJobThenRunsOnce()
    {
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var id = Guid.NewGuid().ToString();
        // What a dispatcher killed while it ran the job leaves behind: its claim on the event key (the documented
        // layout), with a claim's shortest lifetime and no one left to rewrite it.
        Assert.True(await h.StateStore!.TryAddAsync($"event:alpha:testwiki:{id}", "running|0|dead-host:1", TimeSpan.FromSeconds(3), Ct));
        await h.Client.EnqueueAsync(Plain("orphan", id), Ct);
        await h.StartAsync();

        await h.WaitUntilAsync(() => !h.Executions.IsEmpty, "the job runs once the dead dispatcher's claim lapsed");
        await h.WaitIdleAsync();

        Assert.Equal([id], h.Executions.Select(e => e.Id));
        Assert.True(await RetryRecordsAsync(h) > 0, "the job never waited on the dead dispatcher's claim");
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((1L, 1L, 0L, 0L), (stats.Started, stats.Succeeded, stats.Deduplicated, stats.Pending));
    }
}
