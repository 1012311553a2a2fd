using System.Collections.Concurrent;
using Courier.Dispatching.Cancelling;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Testing;

/// <summary>Cancelling a job by id (<see cref="Dispatcher.CancelAsync"/>, <see cref="CancelControl"/>), on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Cancel_OfAPendingJob_EndsItCancelledWhenReached_WithoutRunningIt()
    {
        await using var h = CreateHarness(Options(Rule("alpha")));
        await h.StartAsync();
        h.Dispatcher.Pause("alpha", "holding the jobs to cancel one");
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 5).Select(i => new TestParams($"a{i}")));

        var result = await h.Dispatcher.CancelAsync(jobs[2].Id, "wrong page", "ops@example", Ct);
        Assert.False(result.RanHere);
        Assert.Equal(h.StateStore?.Name, result.Store);
        Assert.Null(result.StoreError);
        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();

        Assert.DoesNotContain(h.Executions, e => e.Id == jobs[2].Id);
        AssertRanExactlyOnce(h, jobs.Where(j => j.Id != jobs[2].Id));
        var stats = Stats(h, "alpha");
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(4, stats.Succeeded);
        Assert.Equal(0, stats.Pending);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Cancel_OfARunningInProcessJob_FiresItsToken_AndEndsItCancelled_NotRetried()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = CreateHarness(Options(Rule("alpha", limit: 3)), async (job, context, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                observed.TrySetResult();
                throw;
            }
            return JobResult.Success;
        });
        await h.StartAsync();
        var job = (await h.EnqueueAsync("alpha", [new TestParams("long")]))[0];
        await started.Task.WaitAsync(Ct);

        var result = await h.Dispatcher.CancelAsync(job.Id, "runaway", "ops@example", Ct);
        Assert.True(result.RanHere);
        await observed.Task.WaitAsync(Ct);
        await h.WaitIdleAsync();

        await AssertRanOnceThenCancelledAsync(h, job, retried: 0);
    }

    [Fact]
    public async Task Cancel_OfAJobWaitingInARetryTier_EndsItCancelled_BeforeItsNextAttempt()
    {
        await using var h = CreateHarnessHoldingRetries(Options(Rule("alpha")), "alpha");
        var job = await StartWithOneRetryHeldAsync(h, "alpha");

        Assert.False((await h.Dispatcher.CancelAsync(job.Id, "no longer needed", "ops@example", Ct)).RanHere);
        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();

        await AssertRanOnceThenCancelledAsync(h, job, retried: 1);
    }

    [Fact]
    public async Task Cancel_OfADelayedJob_EndsItAtItsNextHop_NotAfterItsDelay()
    {
        // An hour's delay hops through the largest tier, here 200 ms; the cancel is seen at the next hop.
        var options = Options(Rule("alpha"));
        options.RetryTiers.Clear();
        options.RetryTiers.Add(TimeSpan.FromMilliseconds(200));
        await using var h = CreateHarness(options);
        await h.StartAsync();
        var job = await h.Client.EnqueueAsync(new JobRequest
        {
            Type = "alpha", Database = "testwiki", Params = new TestParams("later"), DelayUntil = DateTimeOffset.UtcNow.AddHours(1),
        }, Ct);
        await h.WaitUntilAsync(() => Stats(h, "alpha").Started == 1, "the job was read and waits out its delay in the retry tiers");

        await h.Dispatcher.CancelAsync(job.Id, "not wanted after all", "ops@example", Ct);
        await h.WaitUntilAsync(() => Stats(h, "alpha").Cancelled == 1, "the delayed job ended cancelled at its next hop");

        await h.WaitIdleAsync();
        Assert.Empty(h.Executions);
        Assert.Equal(0, Stats(h, "alpha").Pending);
    }

    [Fact]
    public async Task Cancel_ThroughTheControlTopic_ReachesAnotherDispatcher_ItsRunningAndItsPendingJobs()
    {
        var running = new ConcurrentDictionary<string, TaskCompletionSource>();
        var stopped = new ConcurrentDictionary<string, int>();
        await using var h = CreateHarness(Options(Rule("alpha"), Rule("beta")));
        await using var other = BlockingDispatcher(h, running, stopped);
        await h.StartAsync();
        await other.StartAsync(Ct);
        other.Pause("beta", "holding beta on the second dispatcher only");

        var long1 = (await h.EnqueueAsync("alpha", [new TestParams("long")]))[0];
        var pending = (await h.EnqueueAsync("beta", [new TestParams("pending")]))[0];
        await h.WaitUntilAsync(() => h.Succeeded.ContainsKey(long1.Id) && h.Succeeded.ContainsKey(pending.Id), "the first dispatcher ran both");
        await h.WaitUntilAsync(() => running.ContainsKey(long1.Id), "the second dispatcher runs the long job");

        // Written by the CLI's way (no dispatcher): the second dispatcher learns of it from the control topic alone.
        var control = new CancelControl(h.Log, h.CourierOptions.Topics, TimeProvider.System);
        var result = await control.CancelAsync(long1.Id, "stop it", "ops@example", TimeSpan.FromHours(1), Ct);
        await control.CancelAsync(pending.Id, "not wanted", "ops@example", TimeSpan.FromHours(1), Ct);
        Assert.Null(result.Store);
        await running[long1.Id].Task.WaitAsync(Ct);
        await h.WaitUntilAsync(() => other.GetStats().Single(s => s.Type == "alpha").Cancelled == 1, "the running job ended cancelled there");

        other.Resume("beta");
        await h.WaitUntilAsync(() => other.GetStats().Single(s => s.Type == "beta").Cancelled == 1, "the pending job ended cancelled there");
        Assert.Equal(1, stopped[long1.Id]);
        Assert.DoesNotContain(pending.Id, running.Keys);
        Assert.All(other.GetStats(), s => Assert.Equal(0, s.Pending));
    }

    [Fact]
    public async Task Cancel_RecordedOnlyInTheStateStore_EndsAPendingJobCancelled()
    {
        var clock = new JumpClock();
        await using var h = CreateHarness(Options(Rule("alpha")), time: clock);
        Assert.SkipWhen(h.StateStore is null, "this engine's harness has no state store");
        await h.StartAsync();
        h.Dispatcher.Pause("alpha", "holding the jobs");
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("kept"), new TestParams("cancelled")]);
        // As another dispatcher host sharing the store would have recorded it, its control record not read here.
        var control = new CancelControl(h.Log, h.CourierOptions.Topics, clock);
        await CancelStore.RecordAsync(h.StateStore!, control.Record(jobs[1].Id, "by the store", "ops@example", TimeSpan.FromHours(1)), clock, Ct);
        // The dispatcher reads the store's latest cancellation about once a second on its clock: past that second, the
        // job's check must see it (no wait on real time).
        clock.Jump(TimeSpan.FromSeconds(2));
        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();

        AssertRanExactlyOnce(h, [jobs[0]]);
        Assert.DoesNotContain(h.Executions, e => e.Id == jobs[1].Id);
        Assert.Equal(1, Stats(h, "alpha").Cancelled);

        // A cancel written to the control topic alone (as `courier cancel` does) is put in the store by the dispatcher.
        await new CancelControl(h.Log, h.CourierOptions.Topics, TimeProvider.System).CancelAsync("not-enqueued-yet", "later", "ops@example",
            TimeSpan.FromHours(1), Ct);
        await h.WaitUntilAsync(async () => await h.StateStore.GetAsync("cancel:not-enqueued-yet", Ct) == "later (by ops@example)",
            "the dispatcher recorded the control topic's cancel in the state store");
    }

    [Fact]
    public async Task Cancel_TheCheckAsksTheStoreForAJobsKey_OnlyWhileACancellationIsLive()
    {
        var clock = new JumpClock();
        CountingStateStore? counted = null;
        await using var h = CreateHarness(Options(Rule("alpha")), time: clock, wrapStore: store => counted = new CountingStateStore(store));
        Assert.SkipWhen(counted is null, "this engine's harness has no state store");
        await h.StartAsync();
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"a{i}")));
        await h.WaitUntilAsync(() => jobs.All(j => h.Succeeded.ContainsKey(j.Id)), "the jobs ran");

        Assert.Equal(0, counted.Count("get", IsJobCancelKey)); // nothing cancelled: no round trip per job
        Assert.True(counted.Count("get", k => k == CancelStore.LatestKey) >= 1, "the check never read the latest cancellation");

        // Recorded only in the store (by another host) for a job not enqueued yet; a second later on the dispatcher's
        // clock it reads the latest cancellation again, and then asks for each job's key.
        var id = Guid.NewGuid().ToString();
        var control = new CancelControl(h.Log, h.CourierOptions.Topics, clock);
        await CancelStore.RecordAsync(counted.Inner, control.Record(id, "by the store", "ops@example", TimeSpan.FromHours(1)), clock, Ct);
        clock.Jump(TimeSpan.FromSeconds(2));
        var later = await h.Client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams("cancelled"), Id = id },
            new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams("runs") },
        ], Ct);
        await h.WaitUntilAsync(() => Stats(h, "alpha").Cancelled == 1 && h.Succeeded.ContainsKey(later[1].Id), "the store's cancellation was seen");

        Assert.DoesNotContain(h.Executions, e => e.Id == id);
        Assert.Contains(("get", CancelStore.Key(id)), counted.Calls);
    }

    private static bool IsJobCancelKey(string key) =>
        key.StartsWith(CancelStore.KeyPrefix, StringComparison.Ordinal) && key != CancelStore.LatestKey;

    /// <summary>The job's first attempt was its only one, and it ended cancelled: not succeeded, not dead-lettered.</summary>
    private static async Task AssertRanOnceThenCancelledAsync(DispatcherHarness h, EnqueuedJob job, int retried)
    {
        Assert.Equal([(job.Id, 1)], h.Executions);
        var stats = Stats(h, "alpha");
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(retried, stats.Retried);
        Assert.Equal(0, stats.Succeeded);
        Assert.Equal(0, stats.Pending);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    /// <summary>
    /// Another dispatcher on the harness's log, in a group of its own (so it runs every job too): its "long" jobs run
    /// until their token fires (then <paramref name="running"/>'s entry completes and <paramref name="stopped"/> counts it).
    /// </summary>
    private static Dispatcher BlockingDispatcher(DispatcherHarness h, ConcurrentDictionary<string, TaskCompletionSource> running,
        ConcurrentDictionary<string, int> stopped)
    {
        var registry = new JobHandlerRegistry(h.CourierOptions);
        foreach (var type in h.Options.AllJobTypes())
        {
            registry.Add(type, new DelegateHandler<TestParams>(async (job, _, ct) =>
            {
                var entry = running.GetOrAdd(job.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                if (job.Params.Name != "long")
                {
                    return JobResult.Success;
                }
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                    return JobResult.Success;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    stopped.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                    entry.TrySetResult();
                    throw;
                }
            }));
        }
        var options = Options([.. h.Options.Rules]);
        options.GroupId = h.Options.GroupId + "-second";
        return new Dispatcher(h.Log, new InProcessExecutor(registry), options, h.CourierOptions, new CourierTelemetry(),
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }
}
