using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Courier.Kafka.Configuration;

/// <summary>
/// Builds librdkafka configurations: the user's settings as they are, Courier's defaults where the user set nothing,
/// and the few settings Courier's guarantees rest on, which a user setting may repeat but not contradict.
/// </summary>
internal static class ClientConfigs
{
    public static ProducerConfig Producer(KafkaJobLogOptions options)
    {
        var config = new ProducerConfig(Copy(options.Producer));
        config.BootstrapServers ??= options.BootstrapServers;
        // An append completes only when every in-sync replica has it, and a retried send cannot duplicate or reorder
        // records: the job log's "durable when ProduceAsync completes" rests on both.
        Require(config, "enable.idempotence", "true", "the producer must be idempotent");
        Require(config, "acks", "all", "appends must be acknowledged by all in-sync replicas");
        // A few milliseconds let a dispatcher's retry and dead-letter records of concurrent jobs share a request. Every
        // profile (KafkaProfile) keeps it: measured on the mock cluster, linger 0 let a burst of appends queue behind one another's
        // requests and took a bare producer-consumer pair's p99 at 10,000 records/s from ~11 ms to ~800 ms.
        config.LingerMs ??= 5;
        // Courier creates missing topics itself (with DefaultPartitions) when AutoCreateTopics is on; a broker-side
        // auto-create would race with that and pick the broker's partition count.
        config.AllowAutoCreateTopics ??= false;
        // Delivery handlers read only the position, the error and, of a failed record, whether it may have been
        // written all the same (a request sent, no answer: a write retried then may duplicate it, and the log says so);
        // copying keys and values back costs throughput.
        if (config.Get(DeliveryReportFields) is null)
        {
            config.DeliveryReportFields = "status";
        }
        return config;
    }

    /// <summary>Confluent.Kafka's setting of the fields a delivery report carries.</summary>
    private const string DeliveryReportFields = "dotnet.producer.delivery.report.fields";

    /// <summary>
    /// True when the producer's delivery reports carry the record's persistence status (Confluent.Kafka reports every
    /// record as possibly persisted when the field is off).
    /// </summary>
    public static bool ReportsStatus(ProducerConfig config) =>
        config.Get(DeliveryReportFields) is { } fields
        && fields.Split(',', StringSplitOptions.TrimEntries).Any(f => f is "status" or "all");

    public static ConsumerConfig Consumer(KafkaJobLogOptions options, JobLogConsumerOptions consumer, string groupId)
    {
        var config = new ConsumerConfig(Copy(options.Consumer));
        config.BootstrapServers ??= options.BootstrapServers;
        config.GroupId = groupId;
        config.ClientId = consumer.ClientId;
        // The owner stores exactly the offsets it has finished (the contiguous completed prefix); an offset stored behind
        // its back (librdkafka's auto store marks every record consumed) could move past a job still in flight and lose
        // it on a rebalance. What the owner stored, librdkafka commits from its own threads every
        // auto.commit.interval.ms: a commit never holds up the owner's thread, even while the group coordinator is down
        // (IJobLogConsumer.StoreOffsets), and a revoke or Close commits the stored offsets on the way out.
        Require(config, "enable.auto.offset.store", "false", "offsets are stored only by the owner, explicitly");
        Require(config, "enable.auto.commit", "true", "the offsets the owner stores are committed in the background");
        config.AutoCommitIntervalMs ??= (int)Math.Clamp(Math.Ceiling(consumer.CommitInterval.TotalMilliseconds), 1, int.MaxValue);
        // Jobs must never be skipped: a partition without a committed offset starts at its earliest record. The original
        // job queue's consumers used auto.offset.reset=largest, which skips every job produced before a group's first
        // commit (a fresh group, or one whose offsets expired).
        Require(config, "auto.offset.reset", "earliest", "a partition with no committed offset starts at its earliest record");
        if (config.GroupProtocol is null or GroupProtocol.Classic)
        {
            // Cooperative rebalancing moves only the partitions that change hands; the others keep running through it.
            // (The KIP-848 "consumer" protocol is incremental by design and assigns on the broker.)
            config.PartitionAssignmentStrategy ??= PartitionAssignmentStrategy.CooperativeSticky;
        }
        // With the default (1000 ms) a consumer whose prefetch queue has filled stops fetching for a whole second; a
        // bare consume loop on the development cluster went from ~150k to ~700k records/s when lowered to 10 ms
        // (docs/benchmarks.md tunes every consumer it compares the same way).
        config.FetchQueueBackoffMs ??= 10;
        // A paused partition's prefetched records are dropped and, on resume, fetched again by the next fetch request to
        // its broker — which waits behind a fetch already in flight, a long poll of up to fetch.wait.max.ms (500 ms by
        // default) when the other partitions are idle. The dispatcher pauses and resumes partitions all the time (a
        // retry not yet due, a job type at its concurrency budget): measured on the development cluster with a dispatcher
        // that paused at every full budget, 500 no-op jobs at concurrency 8 took 27 s with 500 ms, 3 s with 50 ms and
        // 1 s with 10 ms. Idle consumers then send a fetch per broker every 25 ms, which Kafka handles easily.
        // The long poll is also the floor of start latency: a record produced while a fetch waits is returned only when
        // that fetch ends, so p99 enqueue-to-start sits near this value (KafkaProfile.LowLatency: 5 ms).
        config.FetchWaitMaxMs ??= FetchWaitMaxMs(options.Profile);
        // JobLogConsumerOptions.MaxPrefetch is deliberately not mapped onto queued.min.messages: librdkafka's prefetch
        // is already bounded in bytes (queued.max.messages.kbytes, 64 MiB), and capping it at 1000 records cut a consume
        // loop on the development cluster from ~1.7M to ~0.4M records/s. Both settings pass through for tighter bounds.
        // New topics matching a subscription (a topic-pattern rule, a topic created later) are found within this time
        // instead of librdkafka's 5 minutes.
        config.TopicMetadataRefreshIntervalMs ??= 10_000;
        return config;
    }

    /// <summary>The consumer's <c>fetch.wait.max.ms</c> when the user set none.</summary>
    internal static int FetchWaitMaxMs(KafkaProfile profile) => profile switch
    {
        KafkaProfile.LowLatency => 5,
        _ => 25,
    };

    public static AdminClientConfig Admin(KafkaJobLogOptions options, bool allowAutoCreateTopics = false)
    {
        var config = new AdminClientConfig(Copy(options.Admin));
        config.BootstrapServers ??= options.BootstrapServers;
        // Admin clients are producer handles underneath, whose metadata requests would auto-create any topic they ask
        // about; asking whether a topic exists must not create it.
        config.Set("allow.auto.create.topics", allowAutoCreateTopics ? "true" : "false");
        return config;
    }

    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    private static Dictionary<string, string> Copy(ClientConfig? config) =>
        config is null ? [] : config.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static void Require(ClientConfig config, string key, string value, string reason)
    {
        var existing = config.Get(key);
        if (existing is not null && !Same(key, existing, value))
        {
            throw new ArgumentException(
                $"librdkafka setting {key}={existing} is not supported by Courier's Kafka job log: {reason} ({key}={value}).");
        }
        config.Set(key, value);
    }

    private static bool Same(string key, string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return key switch
        {
            "acks" => IsAll(a) && IsAll(b),
            "auto.offset.reset" => IsEarliest(a) && IsEarliest(b),
            _ => false,
        };

        static bool IsAll(string v) => v is "-1" || v.Equals("all", StringComparison.OrdinalIgnoreCase);
        static bool IsEarliest(string v) => v.Equals("earliest", StringComparison.OrdinalIgnoreCase)
            || v.Equals("smallest", StringComparison.OrdinalIgnoreCase) || v.Equals("beginning", StringComparison.OrdinalIgnoreCase);
    }
}
