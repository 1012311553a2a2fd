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

    /// <summary>
    /// Creates the topic with at least that many partitions and the <paramref name="cleanup"/> policy if it does not
    /// exist (an existing topic is left as it is). Idempotent. Engines that keep every record (the embedded SQLite
    /// log) have no policy to set and create a plain topic, which is what this default does.
    /// </summary>
    ValueTask EnsureTopicAsync(string topic, int partitions, TopicCleanup cleanup, CancellationToken cancellationToken = default) =>
        EnsureTopicAsync(topic, partitions, cancellationToken);

    /// <summary>Lists the topics that exist.</summary>
    ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Low and high watermarks of a partition: the batched read's answer for that one partition.</summary>
    /// <exception cref="JobLogException">The topic or the partition does not exist.</exception>
    ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Low and high watermarks of several partitions at once: one query on SQLite, one request per broker on Kafka.
    /// Read this way when there is more than one partition (lag, stats, scans).
    /// </summary>
    /// <param name="partitions">The partitions to read, of any topics; duplicates are read once.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The watermarks by partition. A partition whose topic does not exist, or whose number is not below the topic's
    /// partition count, is absent from the answer (no exception), so a topic deleted or not yet created between
    /// listing and reading does not fail the whole read. An empty request gets an empty answer.
    /// </returns>
    /// <exception cref="JobLogException">The log could not be read.</exception>
    ValueTask<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Committed offsets of a consumer group (next offset to read); partitions with no commit are absent.</summary>
    ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Creates a producer. Producers are thread-safe.</summary>
    IJobLogProducer CreateProducer();

    /// <summary>Creates a consumer. A consumer is owned by one thread.</summary>
    IJobLogConsumer CreateConsumer(JobLogConsumerOptions options);
}
