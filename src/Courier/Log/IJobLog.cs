namespace Courier;

/// <summary>
/// The job log: topics of partitions of offset-ordered records, consumer groups and committed offsets —
/// Kafka's model. Courier ships two engines with these semantics: the embedded SQLite log and Kafka. Every
/// engine passes the compliance suite in <c>tests/Courier.Testing</c>.
/// </summary>
public interface IJobLog : IAsyncDisposable
{
    /// <summary>Short engine name for logs and metrics ("sqlite", "kafka").</summary>
    string EngineName { get; }

    /// <summary>Creates the topic with at least that many partitions if it does not exist. Idempotent.</summary>
    ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default);

    /// <summary>Lists the topics that exist.</summary>
    ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Low and high watermarks of a partition.</summary>
    ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default);

    /// <summary>Committed offsets of a consumer group (next offset to read); partitions with no commit are absent.</summary>
    ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Creates a producer. Producers are thread-safe.</summary>
    IJobLogProducer CreateProducer();

    /// <summary>Creates a consumer. A consumer is owned by one thread.</summary>
    IJobLogConsumer CreateConsumer(JobLogConsumerOptions options);
}
