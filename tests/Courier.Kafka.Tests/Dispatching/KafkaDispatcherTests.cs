using System.Collections.Concurrent;
using Courier.Testing;
using Xunit;

namespace Courier.Kafka.Tests.Dispatching;

/// <summary>
/// The dispatcher on the Kafka engine with the Redis state store: the shared <see cref="DispatcherEngineTests"/>, a member joining mid-run, and a
/// pause kept across rebalances.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaDispatcherTests(KafkaClusterFixture fixture, RedisServerFixture redis) : DispatcherEngineTests
{
    protected override DispatcherHarness CreateHarness(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null, int partitions = 4, TimeProvider? time = null,
        Func<Courier.State.IJobStateStore, Courier.State.IJobStateStore>? wrapStore = null) =>
        KafkaHarness.Create(fixture.LogOptions(), redis, options, handle, partitions, time, wrapStore);

    [Fact]
    public async Task Dispatcher_OnKafka_KeepsItsStateInRedis_UnderAPrefixOfItsHarness()
    {
        await using var h = CreateHarness(Options(Rule("alpha")));

        var store = Assert.IsType<Courier.Redis.RedisJobStateStore>(h.Dispatcher.StateStore);
        Assert.True(await store.TryAddAsync("claim", "h", TimeSpan.FromMinutes(1), Ct));
        await using var other = redis.OpenStore();
        Assert.Null(await other.GetAsync("claim", Ct));
        Assert.Contains(redis.Server.Configuration, store.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_OnKafka_ASecondDispatcherJoiningTheGroupMidRun_LosesNoJob()
    {
        var options = Options(Rule("alpha"));
        // The first dispatcher's jobs wait until the second one has started, so it is mid-run (jobs in flight, more
        // behind them) when the second joins.
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ranByFirst = new ConcurrentDictionary<string, int>();
        var ranBySecond = new ConcurrentDictionary<string, int>();
        await using var first = KafkaHarness.Create(fixture.LogOptions(), redis, options, async (job, context, ct) =>
        {
            await secondStarted.Task.WaitAsync(ct);
            ranByFirst.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            return JobResult.Success;
        });
        // Many keys, so the jobs spread over every partition and each member gets some of them.
        static string Spread(int index) => $"wiki{index % 31}";
        var jobs = (await first.EnqueueAsync("alpha", Enumerable.Range(0, 150).Select(i => new TestParams($"early{i}")), Spread)).ToList();
        await first.StartAsync();
        await first.WaitUntilAsync(() => !first.Executions.IsEmpty, "the first dispatcher has jobs in flight");

        // The second dispatcher joins the same group on the same topics; its log is observed to see what it holds.
        var secondLog = new CountingJobLog(first.Log);
        var secondOptions = Options(Rule("alpha"));
        secondOptions.GroupId = options.GroupId;
        var second = new Dispatcher(secondLog, new InProcessExecutor(Registry(first, ranBySecond)), secondOptions, first.CourierOptions,
            first.Telemetry, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance, TimeProvider.System);
        await using (second)
        {
            await second.StartAsync(Ct);
            secondStarted.SetResult();
            var jobTopic = first.JobTopic("alpha");
            await first.WaitUntilAsync(() => secondLog.Held.Any(p => p.Topic == jobTopic), "the second dispatcher is assigned job partitions");
            // Produced only now that both members hold partitions, so both have jobs to run.
            jobs.AddRange(await first.EnqueueAsync("alpha", Enumerable.Range(0, 150).Select(i => new TestParams($"late{i}")), Spread));
            await first.WaitIdleAsync();
        }

        Assert.Equal(jobs.Select(j => j.Id).Order(), first.Succeeded.Keys.Order());
        Assert.NotEmpty(ranByFirst);
        Assert.NotEmpty(ranBySecond);
    }

    [Fact]
    public async Task Pause_OnKafka_SurvivesRebalances_APausedTypesPartitionsStayPausedWhenReassigned()
    {
        var options = Options(Rule("alpha"), Rule("beta"));
        await using var first = KafkaHarness.Create(fixture.LogOptions(), redis, options);
        static string Spread(int index) => $"wiki{index % 31}";
        await first.StartAsync();
        first.Dispatcher.Pause("alpha", "rebalance test");
        var alpha = (await first.EnqueueAsync("alpha", Enumerable.Range(0, 60).Select(i => new TestParams($"a{i}")), Spread)).ToList();

        // A second member, with alpha paused as well, joins and leaves: the first's partitions are revoked and
        // assigned again each time, alpha's among them.
        var secondLog = new CountingJobLog(first.Log);
        var secondOptions = Options(Rule("alpha"), Rule("beta"));
        secondOptions.GroupId = options.GroupId;
        var registry = new JobHandlerRegistry(first.CourierOptions);
        foreach (var type in new[] { "alpha", "beta" })
        {
            registry.Add(type, new DelegateHandler<TestParams>((job, context, ct) =>
            {
                first.Executions.Enqueue((job.Id, context.Attempt));
                first.Succeeded.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                return ValueTask.FromResult(JobResult.Success);
            }));
        }
        var beta = new List<EnqueuedJob>();
        var second = new Dispatcher(secondLog, new InProcessExecutor(registry), secondOptions, first.CourierOptions,
            first.Telemetry, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance, TimeProvider.System);
        await using (second)
        {
            second.Pause("alpha", "rebalance test");
            await second.StartAsync(Ct);
            await first.WaitUntilAsync(() => secondLog.Held.Any(p => p.Topic == first.JobTopic("alpha")), "the second member holds alpha partitions");
            beta.AddRange(await first.EnqueueAsync("beta", Enumerable.Range(0, 60).Select(i => new TestParams($"b{i}")), Spread));
            await first.WaitUntilAsync(() => beta.All(j => first.Succeeded.ContainsKey(j.Id)), "beta ran on both members");
        }
        beta.AddRange(await first.EnqueueAsync("beta", Enumerable.Range(0, 60).Select(i => new TestParams($"late-b{i}")), Spread));
        await first.WaitUntilAsync(() => beta.All(j => first.Succeeded.ContainsKey(j.Id)), "beta ran on the first member alone");
        Assert.DoesNotContain(first.Executions, e => alpha.Any(j => j.Id == e.Id));

        first.Dispatcher.Resume("alpha");
        await first.WaitIdleAsync();
        Assert.Equal(alpha.Concat(beta).Select(j => j.Id).Order(), first.Succeeded.Keys.Order());
        Assert.All(first.Succeeded.Values, n => Assert.Equal(1, n));
        Assert.Empty(await first.ReadDeadLettersAsync());
    }

    private static JobHandlerRegistry Registry(DispatcherHarness h, ConcurrentDictionary<string, int> ran)
    {
        var registry = new JobHandlerRegistry(h.CourierOptions);
        registry.Add("alpha", new DelegateHandler<TestParams>((job, context, ct) =>
        {
            h.Executions.Enqueue((job.Id, context.Attempt));
            h.Succeeded.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            ran.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            return ValueTask.FromResult(JobResult.Success);
        }));
        return registry;
    }
}
