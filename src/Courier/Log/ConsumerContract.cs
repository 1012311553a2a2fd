using System.Diagnostics.CodeAnalysis;

namespace Courier.Log;

/// <summary>
/// The rules of <see cref="IJobLogConsumer"/> that do not depend on the engine, checked the same way (with the same
/// messages) by every engine's consumer.
/// </summary>
internal static class ConsumerContract
{
    public static void CheckSubscribe([DoesNotReturnIf(false)] bool hasGroup, bool assigned, IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (!hasGroup)
        {
            throw new InvalidOperationException("Subscribe needs a consumer group: set JobLogConsumerOptions.GroupId.");
        }
        if (assigned)
        {
            throw new InvalidOperationException(
                "This consumer was given partitions with Assign; a consumer either subscribes or is assigned, not both.");
        }
        if (topics.Count == 0)
        {
            throw new ArgumentException("Subscribe needs at least one topic.", nameof(topics));
        }
    }

    public static void CheckAssign(bool subscribed, IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (subscribed)
        {
            throw new InvalidOperationException(
                "This consumer subscribed to topics; a consumer either subscribes or is assigned, not both.");
        }
    }

    public static void CheckNotInCallback(bool inCallback, string operation)
    {
        if (inCallback)
        {
            throw new InvalidOperationException($"{operation} cannot be called from a PartitionsAssigned or PartitionsRevoked callback.");
        }
    }

    public static void CheckSeek([DoesNotReturnIf(false)] bool assigned, TopicPartitionOffset position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position.Offset, nameof(position));
        if (!assigned)
        {
            throw new InvalidOperationException($"Cannot seek {position.TopicPartition}: it is not assigned to this consumer.");
        }
    }

    public static void CheckCommit([DoesNotReturnIf(false)] bool hasGroup, IReadOnlyCollection<TopicPartitionOffset> offsets,
        string operation = "Commit")
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (!hasGroup)
        {
            throw new InvalidOperationException($"{operation} needs a consumer group: set JobLogConsumerOptions.GroupId.");
        }
    }

    /// <summary>
    /// The check <see cref="IJobLogConsumer.StoreOffsets"/> adds to <see cref="IJobLogConsumer.Commit"/>'s: every partition
    /// is assigned. Call it after the engine's own validation of the offsets, before anything is stored.
    /// </summary>
    public static void CheckStoreAssigned(IReadOnlyCollection<TopicPartitionOffset> offsets, Func<TopicPartition, bool> isAssigned)
    {
        foreach (var offset in offsets)
        {
            if (!isAssigned(offset.TopicPartition))
            {
                throw new InvalidOperationException(
                    $"Cannot store an offset for {offset.TopicPartition}: it is not assigned to this consumer.");
            }
        }
    }
}
