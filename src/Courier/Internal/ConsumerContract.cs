using System.Diagnostics.CodeAnalysis;

namespace Courier.Internal;

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

    public static void CheckCommit([DoesNotReturnIf(false)] bool hasGroup, IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        if (!hasGroup)
        {
            throw new InvalidOperationException("Commit needs a consumer group: set JobLogConsumerOptions.GroupId.");
        }
    }
}
