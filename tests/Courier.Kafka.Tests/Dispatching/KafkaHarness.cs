using Courier.Testing;

namespace Courier.Kafka.Tests.Dispatching;

/// <summary>
/// The shared dispatcher harness on the mock Kafka cluster, with the Redis state store on the assembly's redis-server
/// (the deployment Kafka is meant for: dispatchers on several hosts). Topic names, the group and the state store's key
/// prefix are unique per harness, so tests share one cluster and one Redis.
/// </summary>
internal static class KafkaHarness
{
    public static DispatcherHarness Create(KafkaJobLogOptions logOptions, RedisServerFixture redis, DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null, int partitions = 4, TimeProvider? time = null,
        Func<Courier.State.IJobStateStore, Courier.State.IJobStateStore>? wrapStore = null)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        var courierOptions = new CourierOptions
        {
            DefaultPartitions = partitions,
            Topics = new TopicNames { JobTopicPrefix = $"t{unique}.mediawiki.job.", ServiceName = $"courier{unique}" },
        };
        options.GroupId = $"dispatcher-{unique}";
        logOptions.DefaultPartitions = partitions;
        return new DispatcherHarness(new KafkaJobLog(logOptions), courierOptions, options, handle, time: time,
            stateStore: wrapStore is null ? redis.OpenStore() : wrapStore(redis.OpenStore()));
    }
}
