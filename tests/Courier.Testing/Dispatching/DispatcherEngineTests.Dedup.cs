using System.Collections.Concurrent;
using Courier.State;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Deduplication (by event id and <c>sha1</c>) and root-job supersession, on every engine with a state store. The
/// dispatcher's clock runs a minute ahead where jobs must look "created before the last run started" (the check has
/// the original's one-second slack).
/// </summary>
public abstract partial class DispatcherEngineTests
{
    private const string NoStore = "this engine's harness has no state store yet";

    [Fact]
    public async Task Dedup_SkipsDuplicatesCreatedBeforeTheLastRun_PerDatabase_AndCountsThem()
    {
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), partitions: 1, time: MinuteAhead());
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var jobs = await h.Client.EnqueueBatchAsync(
        [
            Same("alpha"), Same("alpha"), Same("alpha"), Same("alpha", name: "other"), Same("alpha", database: "otherwiki"),
        ], Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal([jobs[0].Id, jobs[3].Id, jobs[4].Id], h.Executions.Select(e => e.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((5L, 3L, 2L, 0L), (stats.Started, stats.Succeeded, stats.Deduplicated, stats.Pending));
    }

    [Fact]
    public async Task Dedup_DuplicateOfARunningJob_WaitsAndIsDeduplicatedOnceItSucceeds()
    {
        var release = new TaskCompletionSource();
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 2)), FirstWaitsFor(release, JobResult.Success),
            partitions: 1, time: MinuteAhead());
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var jobs = await h.Client.EnqueueBatchAsync([Same("alpha"), Same("alpha")], Ct);
        await h.StartAsync();

        // Both: the first job's claim is taken before its handler starts, so the duplicate can wait before that.
        await h.WaitUntilAsync(async () => await RetryRecordsAsync(h) > 0 && !h.Executions.IsEmpty,
            "the duplicate waited in a retry tier while the first job ran");
        Assert.Single(h.Executions);
        release.SetResult();
        await h.WaitIdleAsync();

        var ran = Assert.Single(h.Executions).Id;
        Assert.Contains(ran, jobs.Select(j => j.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((1L, 1L, 0L, 0L), (stats.Succeeded, stats.Deduplicated, stats.Retried, stats.Pending));
    }

    [Fact]
    public async Task Dedup_DuplicateOfARunningJob_RunsWhenTheFirstIsDeadLettered()
    {
        var release = new TaskCompletionSource();
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 2)), FirstWaitsFor(release, JobResult.Fail("broken")),
            partitions: 1, time: MinuteAhead());
        Assert.SkipWhen(h.StateStore is null, NoStore);
        await h.Client.EnqueueBatchAsync([Same("alpha"), Same("alpha")], Ct);
        await h.StartAsync();

        await h.WaitUntilAsync(async () => await RetryRecordsAsync(h) > 0, "the duplicate waited in a retry tier");
        release.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(2, h.Executions.Select(e => e.Id).Distinct().Count());
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(h.Executions.First().Id, letter.JobId);
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((1L, 1L, 0L, 0L), (stats.Succeeded, stats.DeadLettered, stats.Deduplicated, stats.Pending));
    }

    [Fact]
    public async Task Dedup_RecordsReadAgain_AfterARestartOrProducedTwice_AreDeduplicatedByEventId()
    {
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var twice = Guid.NewGuid().ToString();
        // No sha1: only the event id tells these apart from new work.
        var jobs = await h.Client.EnqueueBatchAsync([Plain("a"), Plain("b"), Plain("c", twice)], Ct);
        await h.Client.EnqueueAsync(Plain("c", twice), Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();
        Assert.Equal(jobs.Select(j => j.Id), h.Executions.Select(e => e.Id));
        Assert.Equal(1, h.Dispatcher.GetStats().Single().Deduplicated);

        // A new dispatcher on the same log and store whose group committed nothing reads every record again, as one
        // restarted after a crash before its commits would.
        var (executions, stats) = await ReadEverythingAgainAsync(h, "restarted");

        Assert.Empty(executions);
        Assert.Equal((4L, 4L, 0L), (stats.Started, stats.Deduplicated, stats.Pending));
    }

    [Fact]
    public async Task Dedup_RetryRecordsReadAgain_AfterTheirJobSucceeded_AreDeduplicatedNotRunAgain()
    {
        // Each job fails its first attempt and succeeds on its retry record.
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)),
            (_, context, _) => ValueTask.FromResult(context.Attempt == 1 ? JobResult.Retry("first attempt fails") : JobResult.Success),
            partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var jobs = await h.Client.EnqueueBatchAsync([Plain("a"), Plain("b")], Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();
        Assert.Equal(jobs.Select(j => j.Id).Order(), h.Succeeded.Keys.Order());
        Assert.Equal(2, await RetryRecordsAsync(h));

        // A dispatcher whose group committed nothing reads the job records and the retry records again, as one that
        // lost its partitions before the commit would: the originals and the retries alike are recognised as handled.
        var (executions, stats) = await ReadEverythingAgainAsync(h, "read-again");

        Assert.Empty(executions);
        Assert.Equal((4L, 0L, 0L), (stats.Deduplicated, stats.Succeeded, stats.Pending));
    }

    [Fact]
    public async Task Dedup_SupersedesJobsOfAnOlderRootJob_TheNewestWins()
    {
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var now = DateTimeOffset.UtcNow;
        var jobs = await h.Client.EnqueueBatchAsync(
        [
            Plain("new", root: new RootEvent("refresh:Main", now)),
            Plain("old", root: new RootEvent("refresh:Main", now.AddHours(-1))),
            Plain("same", root: new RootEvent("refresh:Main", now)),
            Plain("other", root: new RootEvent("refresh:Other", now.AddHours(-1))),
        ], Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal([jobs[0].Id, jobs[2].Id, jobs[3].Id], h.Executions.Select(e => e.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((3L, 1L, 0L), (stats.Succeeded, stats.Superseded, stats.Pending));
    }

    [Fact]
    public async Task Dedup_Off_RunsEveryJob()
    {
        var rule = Rule("alpha", concurrency: 1);
        rule.Dedupe = DedupePolicy.Off;
        await using var h = CreateHarness(Options(rule), partitions: 1, time: MinuteAhead());
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var id = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        await h.Client.EnqueueBatchAsync([Same("alpha"), Same("alpha"), Plain("n", root: new RootEvent("r", now)),
            Plain("o", root: new RootEvent("r", now.AddHours(-1)))], Ct);
        await h.Client.EnqueueAsync(Plain("x", id), Ct);
        await h.Client.EnqueueAsync(Plain("x", id), Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(6, h.Executions.Count);
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((6L, 0L, 0L, 0L), (stats.Succeeded, stats.Deduplicated, stats.Superseded, stats.Pending));
    }

    [Fact]
    public async Task Dedup_FailsOpen_WhenTheStoreFails_RunningEveryJobAndCountingTheErrors()
    {
        await using var h = CreateHarness(Options(Rule("alpha", concurrency: 1)), partitions: 1);
        await h.Client.EnqueueBatchAsync([Same("alpha"), Same("alpha"), Plain("r", root: new RootEvent("r", DateTimeOffset.UtcNow))], Ct);
        var store = new FailingStateStore();
        var executions = new ConcurrentQueue<string>();
        var clock = MinuteAhead();
        await using var dispatcher = SecondDispatcher(h, "failing-store", store, executions, clock);
        using var errors = new InstrumentCounter(h.Telemetry.StateErrors);
        await dispatcher.StartAsync(Ct);
        await DispatcherIdle.WaitAsync(dispatcher);

        Assert.Equal(3, executions.Count);
        Assert.True(store.Calls >= 3, $"the store was asked {store.Calls} times");
        Assert.Equal(store.Calls, errors.Total);
        var stats = dispatcher.GetStats().Single();
        Assert.Equal((3L, 0L, 0L), (stats.Succeeded, stats.Deduplicated, stats.Pending));
    }

    private static JumpClock MinuteAhead()
    {
        var clock = new JumpClock();
        clock.Jump(TimeSpan.FromMinutes(1));
        return clock;
    }

    /// <summary>A job of <paramref name="type"/> with a <c>sha1</c>: the same work as every other one with these arguments.</summary>
    private static JobRequest Same(string type, string name = "same", string database = "testwiki") =>
        new() { Type = type, Database = database, Params = new TestParams(name), Deduplicate = true };

    /// <summary>An <c>alpha</c> job without a <c>sha1</c>, with an explicit event id and root job when given.</summary>
    private static JobRequest Plain(string name, string? id = null, RootEvent? root = null) =>
        new() { Type = "alpha", Database = "testwiki", Params = new TestParams(name), Id = id, RootEvent = root };

    /// <summary>A handler whose first execution waits for <paramref name="release"/>, then returns <paramref name="first"/>; later ones succeed.</summary>
    private static Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>> FirstWaitsFor(TaskCompletionSource release, JobResult first)
    {
        var started = 0;
        return async (_, _, ct) =>
        {
            if (Interlocked.Increment(ref started) > 1)
            {
                return JobResult.Success;
            }
            await release.Task.WaitAsync(ct);
            return first;
        };
    }

    /// <summary>Records written to the harness's retry tiers so far.</summary>
    private static async Task<long> RetryRecordsAsync(DispatcherHarness h)
    {
        var topics = await h.Log.ListTopicsAsync(Ct);
        var total = 0L;
        foreach (var topic in topics.Where(t => h.Dispatcher.Topics.Contains(t.Name) && !h.Options.AllJobTypes().Any(type => h.JobTopic(type) == t.Name)))
        {
            for (var p = 0; p < topic.Partitions; p++)
            {
                total += (await h.Log.GetWatermarksAsync(new TopicPartition(topic.Name, p), Ct)).High;
            }
        }
        return total;
    }

    /// <summary>
    /// Runs a second dispatcher on the harness's log and store, in a new group <paramref name="group"/> (so it reads
    /// every record again), until it is idle: the jobs it ran and its only type's counts.
    /// </summary>
    private static async Task<(IReadOnlyCollection<string> Executions, JobTypeStats Stats)> ReadEverythingAgainAsync(DispatcherHarness h, string group)
    {
        var executions = new ConcurrentQueue<string>();
        await using var again = SecondDispatcher(h, group, h.StateStore!, executions, TimeProvider.System);
        await again.StartAsync(Ct);
        await DispatcherIdle.WaitAsync(again);
        return (executions, again.GetStats().Single());
    }

    /// <summary>
    /// Another dispatcher on the harness's log, in group <paramref name="group"/> (nothing committed: it reads every
    /// record from the start), with <paramref name="store"/>; its <c>alpha</c> handler records each job it runs.
    /// </summary>
    private static Dispatcher SecondDispatcher(DispatcherHarness h, string group, IJobStateStore store, ConcurrentQueue<string> executions,
        TimeProvider time)
    {
        var options = Options(h.Options.Rules.ToArray());
        options.GroupId = group;
        var registry = new JobHandlerRegistry(h.CourierOptions).Add("alpha", new DelegateHandler<TestParams>((job, _, _) =>
        {
            executions.Enqueue(job.Id);
            return ValueTask.FromResult(JobResult.Success);
        }));
        return new Dispatcher(h.Log, new InProcessExecutor(registry), options, h.CourierOptions, h.Telemetry,
            NullLogger<Dispatcher>.Instance, time, store);
    }
}
