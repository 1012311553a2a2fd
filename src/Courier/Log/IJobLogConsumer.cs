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

    /// <summary>
    /// Commits offsets for the group (each is the next offset to read). Synchronous and durable: it waits for the log,
    /// so an owner calls it where it must know the offsets are safe — in <see cref="JobLogConsumerOptions.PartitionsRevoked"/>
    /// and before <see cref="Close"/> — and records routine progress with <see cref="StoreOffsets"/> instead. Offsets of
    /// assigned partitions also replace what <see cref="StoreOffsets"/> recorded for them.
    /// </summary>
    void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets);

    /// <summary>
    /// Records the group's progress (each offset is the next to read) without waiting on the network; the engine commits
    /// it in the background, every <see cref="JobLogConsumerOptions.CommitInterval"/>, and reports a failed background
    /// commit through <see cref="JobLogConsumerOptions.BackgroundCommitFailed"/> (the offsets stay recorded and go with the
    /// next one). Durable only once a background commit, a later <see cref="Commit"/> or <see cref="Close"/> has committed
    /// it; an engine that commits cheaply may commit at once. Validated like <see cref="Commit"/>; in addition every
    /// partition must be assigned to this consumer — the owner knows its assignment exactly, as it changes only inside
    /// <see cref="Consume"/> — or nothing is recorded and <see cref="InvalidOperationException"/> is thrown. Meant for
    /// forward progress: an offset below the one the group has committed may be ignored.
    /// </summary>
    void StoreOffsets(IReadOnlyCollection<TopicPartitionOffset> offsets);

    /// <summary>
    /// Leaves the group (revoking the assignment) and releases resources. Offsets recorded with <see cref="StoreOffsets"/>
    /// and not yet committed are committed on the way out (a failure is reported through
    /// <see cref="JobLogConsumerOptions.BackgroundCommitFailed"/>); nothing else is committed by it.
    /// </summary>
    void Close();
}
