namespace Courier;

/// <summary>
/// Reads records from the job log. Like a Kafka consumer, it is owned by one thread: every member, including
/// the rebalance callbacks it raises from <see cref="Consume"/>, runs on that thread.
/// </summary>
public interface IJobLogConsumer : IDisposable
{
    /// <summary>Joins the consumer group for these topics; partitions are assigned during <see cref="Consume"/>.</summary>
    void Subscribe(IReadOnlyCollection<string> topics);

    /// <summary>Reads these partitions from these offsets without group management (no rebalances).</summary>
    void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions);

    /// <summary>Partitions currently assigned to this consumer.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>
    /// Returns the next record from an assigned, unpaused partition, or null when none arrives within
    /// <paramref name="timeout"/>. Records of one partition come in offset order. A partition with no committed
    /// offset starts at its earliest record.
    /// </summary>
    LogRecord? Consume(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Moves the fetch position of an assigned partition; records buffered past it are discarded.</summary>
    void Seek(TopicPartitionOffset position);

    /// <summary>Stops returning records from these partitions until resumed. Positions are kept.</summary>
    void Pause(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>Resumes paused partitions.</summary>
    void Resume(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>Commits offsets for the group (each is the next offset to read). Synchronous and durable.</summary>
    void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets);

    /// <summary>Leaves the group (revoking the assignment) and releases resources. Commits nothing by itself.</summary>
    void Close();
}
