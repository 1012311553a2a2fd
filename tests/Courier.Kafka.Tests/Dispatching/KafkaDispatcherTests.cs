using System.Collections.Concurrent;
using Courier.Testing;
using Xunit;

namespace Courier.Kafka.Tests.Dispatching;

/// <summary>The dispatcher on the Kafka engine: the shared <see cref="DispatcherEngineTests"/> and a member joining mid-run.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaDispatcherTests(KafkaClusterFixture fixture) : DispatcherEngineTests
{
    protected override DispatcherHarness CreateHarness(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null, int partitions = 4) =>
        KafkaHarness.Create(fixture.LogOptions(), options, handle, partitions);

    [Fact]
    public async Task Dispatcher_OnKafka_ASecondDispatcherJoiningTheGroupMidRun_LosesNoJob()
    {
        var options = Options(Rule("alpha"));
        // The first dispatcher's jobs wait until the second one has started, so it is mid-run (jobs in flight, more
        // behind them) when the second joins.
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ranByFirst = new ConcurrentDictionary<string, int>();
        var ranBySecond = new ConcurrentDictionary<string, int>();
        await using var first = KafkaHarness.Create(fixture.LogOptions(), options, async (job, context, ct) =>
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
