using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Kafka.Tests.Dispatching;

/// <summary>
/// A real dispatcher on the mock Kafka cluster, with a ledger of executions: the dispatcher tests' harness with the
/// Kafka engine. Topic names and the group are unique per harness, so tests share one cluster.
/// </summary>
internal sealed class KafkaDispatcherHarness : IAsyncDisposable
{
    public KafkaDispatcherHarness(
        KafkaJobLogOptions logOptions,
        DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null,
        int partitions = 4)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        CourierOptions = new CourierOptions
        {
            DefaultPartitions = partitions,
            Topics = new TopicNames { JobTopicPrefix = $"t{unique}.mediawiki.job.", ServiceName = $"courier{unique}" },
        };
        options.GroupId = $"dispatcher-{unique}";
        Options = options;
        logOptions.DefaultPartitions = partitions;
        Log = new KafkaJobLog(logOptions);
        Telemetry = new CourierTelemetry();
        Client = new CourierClient(Log, CourierOptions, Telemetry, TimeProvider.System);
        var registry = new JobHandlerRegistry(CourierOptions);
        foreach (var type in options.AllJobTypes())
        {
            registry.Add(type, new DelegateHandler<TestParams>(async (job, context, ct) =>
            {
                Executions.Enqueue((job.Id, context.Attempt));
                var result = handle is null ? DefaultBehaviour(job, context) : await handle(job, context, ct);
                if (result.IsSuccess)
                {
                    Succeeded.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                }
                return result;
            }));
        }
        Dispatcher = new Dispatcher(Log, new InProcessExecutor(registry), options, CourierOptions, Telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }

    public CourierOptions CourierOptions { get; }
    public DispatcherOptions Options { get; }
    public KafkaJobLog Log { get; }
    public CourierTelemetry Telemetry { get; }
    public CourierClient Client { get; }
    public Dispatcher Dispatcher { get; }
    public ConcurrentQueue<(string Id, int Attempt)> Executions { get; } = new();
    public ConcurrentDictionary<string, int> Succeeded { get; } = new();

    public string JobTopic(string type) => CourierOptions.Topics.JobTopic(type);

    public static JobResult DefaultBehaviour(Job<TestParams> job, JobContext context)
    {
        if (job.Params.Fail is { } reason)
        {
            return JobResult.Fail(reason);
        }
        if (context.Attempt <= job.Params.FailAttempts)
        {
            throw new InvalidOperationException($"transient failure on attempt {context.Attempt}");
        }
        return JobResult.Success;
    }

    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(string type, IEnumerable<TestParams> jobs) =>
        await Client.EnqueueBatchAsync(jobs.Select(p => new JobRequest { Type = type, Database = "testwiki", Params = p }).ToList());

    public Task StartAsync() => Dispatcher.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>Waits until the dispatcher is idle (everything committed), failing with the stats after the deadline.</summary>
    public async Task WaitIdleAsync(TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(60));
        var consecutive = 0;
        while (DateTime.UtcNow < until)
        {
            consecutive = await Dispatcher.IsIdleAsync() ? consecutive + 1 : 0;
            if (consecutive >= 2)
            {
                return;
            }
            await Task.Delay(25);
        }
        Assert.Fail("dispatcher not idle before the deadline: " + string.Join("; ", Dispatcher.GetStats()));
    }

    /// <summary>Every record of the error topic, read from the start without a group.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync()
    {
        var topic = CourierOptions.Topics.ErrorTopic;
        var topics = await Log.ListTopicsAsync();
        var partitions = topics.Single(t => t.Name == topic).Partitions;
        var high = 0L;
        var starts = new List<TopicPartitionOffset>();
        for (var p = 0; p < partitions; p++)
        {
            high += (await Log.GetWatermarksAsync(new TopicPartition(topic, p))).High;
            starts.Add(new TopicPartitionOffset(topic, p, 0));
        }
        using var consumer = Log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(starts);
        var letters = new List<DeadLetter>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (letters.Count < high && DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                letters.Add(DeadLetter.FromRecord(record));
            }
        }
        Assert.Equal(high, letters.Count);
        return letters;
    }

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync();
        Client.Dispose();
        await Log.DisposeAsync();
        Telemetry.Dispose();
    }
}
