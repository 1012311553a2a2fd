namespace Courier;

/// <summary>Settings of one consumer.</summary>
public sealed class JobLogConsumerOptions
{
    /// <summary>Consumer group. Required for <see cref="IJobLogConsumer.Subscribe"/> and commits.</summary>
    public string? GroupId { get; init; }

    /// <summary>Identifies the member in logs and in the group.</summary>
    public string ClientId { get; init; } = $"courier-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Raised on the consumer thread after partitions are assigned.</summary>
    public Action<IReadOnlyCollection<TopicPartition>>? PartitionsAssigned { get; init; }

    /// <summary>
    /// Raised on the consumer thread before partitions are taken away (rebalance or close). The owner drains work
    /// of those partitions and commits inside this callback; afterwards another member may read them.
    /// </summary>
    public Action<IReadOnlyCollection<TopicPartition>>? PartitionsRevoked { get; init; }

    /// <summary>Most records to buffer ahead of <see cref="IJobLogConsumer.Consume"/>.</summary>
    public int MaxPrefetch { get; init; } = 1000;

    /// <summary>
    /// How often the engine commits the offsets recorded with <see cref="IJobLogConsumer.StoreOffsets"/> in the
    /// background. Default 1 s. The Kafka engine maps it onto librdkafka's <c>auto.commit.interval.ms</c> unless the
    /// log's own consumer settings set that; an engine that commits stored offsets at once ignores it.
    /// </summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Raised on the consumer thread (from <see cref="IJobLogConsumer.Consume"/> or <see cref="IJobLogConsumer.Close"/>)
    /// when a background commit of offsets recorded with <see cref="IJobLogConsumer.StoreOffsets"/> fails. The offsets
    /// stay recorded and the engine tries again with its next commit. Without a handler the engine logs the failure at
    /// warning level.
    /// </summary>
    public Action<JobLogException>? BackgroundCommitFailed { get; init; }
}
