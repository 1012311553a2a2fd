namespace Courier;

/// <summary>How far the dispatcher's group is behind in one partition it consumes.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Committed">The group's committed offset (the next record to process), or the low watermark when nothing was committed.</param>
/// <param name="High">The partition's high watermark (the offset the next record will get).</param>
public sealed record PartitionLag(TopicPartition Partition, long Committed, long High)
{
    /// <summary>Records not yet committed: the consumer lag.</summary>
    public long Lag => Math.Max(0, High - Committed);
}
