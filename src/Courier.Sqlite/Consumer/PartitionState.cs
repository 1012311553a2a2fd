namespace Courier.Sqlite.Consumer;

/// <summary>A consumer's view of one assigned partition: where to fetch next and what is buffered.</summary>
internal sealed class PartitionState(TopicPartition partition, long fetchOffset)
{
    public TopicPartition Partition { get; } = partition;

    /// <summary>Next offset to read from the file (the consumer's position once the buffer is empty).</summary>
    public long FetchOffset { get; set; } = fetchOffset;

    public Queue<LogRecord> Buffer { get; } = new();

    public bool Paused { get; set; }

    /// <summary>Offset of the next record <see cref="IJobLogConsumer.Consume"/> would return from this partition.</summary>
    public long Position => Buffer.TryPeek(out var next) ? next.Offset : FetchOffset;
}
