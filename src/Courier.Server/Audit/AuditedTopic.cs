namespace Courier.Server.Audit;

/// <summary>An audited job topic: its type and its partitions' accepted records.</summary>
internal sealed class AuditedTopic(string type, string topic, AuditedPartition[] partitions)
{
    public string Type { get; } = type;

    public string Topic { get; } = topic;

    public AuditedPartition[] Partitions { get; } = partitions;

    /// <summary>The partition and record index of an accepted record at <paramref name="position"/>; false when it is not one.</summary>
    public bool TryLocate(TopicPartitionOffset position, out AuditedPartition partition, out int index)
    {
        partition = null!;
        index = -1;
        if (position.Partition < 0 || position.Partition >= Partitions.Length)
        {
            return false;
        }
        partition = Partitions[position.Partition];
        index = partition.IndexOf(position.Offset);
        return index >= 0;
    }
}
