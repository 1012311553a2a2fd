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
}
