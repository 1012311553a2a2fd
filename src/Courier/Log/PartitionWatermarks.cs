namespace Courier;

/// <summary>The lowest offset still stored and the offset the next record will get.</summary>
public readonly record struct PartitionWatermarks(long Low, long High)
{
    /// <summary>
    /// The watermarks of <paramref name="partition"/> from a batched read
    /// (<see cref="IJobLog.GetWatermarksAsync(IReadOnlyCollection{TopicPartition}, CancellationToken)"/>): the rule
    /// every engine's single-partition read follows.
    /// </summary>
    /// <exception cref="JobLogException">The read has no entry for the partition: its topic or the partition does not exist.</exception>
    public static PartitionWatermarks Of(IReadOnlyDictionary<TopicPartition, PartitionWatermarks> read, TopicPartition partition)
    {
        ArgumentNullException.ThrowIfNull(read);
        return read.TryGetValue(partition, out var marks)
            ? marks
            : throw new JobLogException($"Partition {partition} does not exist.");
    }
}
