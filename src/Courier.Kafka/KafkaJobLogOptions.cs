using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier;

/// <summary>Settings of the Kafka job log.</summary>
/// <remarks>
/// librdkafka's own settings pass through unchanged in <see cref="Producer"/>, <see cref="Consumer"/> and
/// <see cref="Admin"/>; Courier only fills in defaults the user has not set. A few settings carry Courier's guarantees
/// and cannot be changed: the producer is idempotent with <c>acks=all</c> (an append is durable when it completes);
/// consumers store only the offsets their owner hands them (<see cref="IJobLogConsumer.StoreOffsets"/>, never one per
/// record consumed) and librdkafka commits those in the background (<c>enable.auto.offset.store=false</c>,
/// <c>enable.auto.commit=true</c>; <c>auto.commit.interval.ms</c> defaults to the consumer's
/// <see cref="JobLogConsumerOptions.CommitInterval"/>); and a partition with no committed offset starts at its earliest
/// record (a job is never skipped). Setting any of those to something else fails when the log is created.
/// </remarks>
public sealed class KafkaJobLogOptions
{
    /// <summary>Kafka brokers, <c>host:port</c> separated by commas. Used by every client unless its own config sets it.</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>librdkafka producer settings (linger, batch size, compression, security, …).</summary>
    public ProducerConfig? Producer { get; set; }

    /// <summary>librdkafka consumer settings (session timeout, fetch sizes, security, …).</summary>
    public ConsumerConfig? Consumer { get; set; }

    /// <summary>librdkafka admin client settings (security, …).</summary>
    public AdminClientConfig? Admin { get; set; }

    /// <summary>
    /// The librdkafka tuning Courier fills in where <see cref="Producer"/> and <see cref="Consumer"/> set nothing:
    /// <see cref="KafkaProfile.Throughput"/> (the default, <c>fetch.wait.max.ms=25</c>) or
    /// <see cref="KafkaProfile.LowLatency"/> (<c>fetch.wait.max.ms=5</c>: jobs start sooner, idle consumers fetch more
    /// often). A setting written in <see cref="Producer"/> or <see cref="Consumer"/> always wins over the profile's.
    /// </summary>
    public KafkaProfile Profile { get; set; } = KafkaProfile.Throughput;

    /// <summary>Partitions of a topic created on first use (auto-created topics). Default 4.</summary>
    public int DefaultPartitions { get; set; } = 4;

    /// <summary>Replication factor of topics Courier creates; -1 (the default) takes the broker's default.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Whether producing to a topic that does not exist creates it with <see cref="DefaultPartitions"/>. Default true.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Bound of admin requests, metadata and watermark queries, and of the producer's flush on dispose. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Logger factory for client errors, rebalances and librdkafka's own log lines.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Set by <see cref="KafkaDevCluster.CreateJobLogOptions"/>: topics are created through the mock cluster's own API,
    /// because its brokers do not implement the CreateTopics request.
    /// </summary>
    internal KafkaDevCluster? DevCluster { get; set; }

    /// <summary>
    /// Puts <paramref name="settings"/> over the librdkafka settings these options already hold (a development cluster's
    /// own choices, say), key by key, as written; Courier adds its defaults to what is still unset when it builds each
    /// client. Checks nothing: creating the log does.
    /// </summary>
    public void ApplySettings(KafkaClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Producer.Count > 0)
        {
            Producer = new ProducerConfig(Merge(Producer, settings.Producer));
        }
        if (settings.Consumer.Count > 0)
        {
            Consumer = new ConsumerConfig(Merge(Consumer, settings.Consumer));
        }
        if (settings.Admin.Count > 0)
        {
            Admin = new AdminClientConfig(Merge(Admin, settings.Admin));
        }
    }

    private static Dictionary<string, string> Merge(IEnumerable<KeyValuePair<string, string>>? existing, IReadOnlyDictionary<string, string> settings)
    {
        var merged = existing?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }
        return merged;
    }

    internal KafkaJobLogOptions Copy() => (KafkaJobLogOptions)MemberwiseClone();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers)
            && string.IsNullOrWhiteSpace(Producer?.BootstrapServers)
            && string.IsNullOrWhiteSpace(Consumer?.BootstrapServers))
        {
            throw new ArgumentException("KafkaJobLogOptions.BootstrapServers is required (host:port[,host:port…]).", nameof(BootstrapServers));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultPartitions, 1, nameof(DefaultPartitions));
        if (ReplicationFactor is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplicationFactor), ReplicationFactor, "ReplicationFactor must be -1 (broker default) or at least 1.");
        }
        if (!Enum.IsDefined(Profile))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), Profile, "Profile must be Throughput or LowLatency.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
    }
}
