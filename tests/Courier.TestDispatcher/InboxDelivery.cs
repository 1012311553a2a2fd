namespace Courier.TestDispatcher;

/// <summary>One row of a <see cref="DeliveryInbox"/>: a job that succeeded, where its record came from and who ran it.</summary>
public sealed record InboxDelivery(string JobId, string Member, string Topic, int Partition, long Offset, int Attempt, long AtUnixMs)
{
    /// <summary>The record the delivery ran from (a job topic or, after a retry, a retry topic).</summary>
    public TopicPartitionOffset Source => new(Topic, Partition, Offset);
}
