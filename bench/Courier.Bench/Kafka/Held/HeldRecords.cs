namespace Courier.Bench;

/// <summary>
/// A topic's records read into memory once, through the job log's own consumer (so each is the <see cref="LogRecord"/>
/// the dispatcher would have been given), for <see cref="HeldRecordsLog"/> to serve again without a broker.
/// </summary>
internal sealed class HeldRecords
{
    private HeldRecords(string topic, LogRecord[][] partitions)
    {
        Topic = topic;
        Partitions = partitions;
    }

    /// <summary>The topic the records were read from.</summary>
    public string Topic { get; }

    /// <summary>Each partition's records in offset order, starting at offset 0.</summary>
    public LogRecord[][] Partitions { get; }

    /// <summary>All records, over every partition.</summary>
    public int Count => Partitions.Sum(p => p.Length);

    /// <summary>
    /// These records served <paramref name="times"/> times over, offsets continuing (a partition of n records holds
    /// copies of them at offsets n to 2n - 1, and so on): a longer run over the same bytes, for a steadier figure. The
    /// copies share each record's value and headers; only the record objects are new.
    /// </summary>
    public HeldRecords Repeated(int times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        var partitions = Partitions.Select(held => Enumerable.Range(0, times)
            .SelectMany(pass => held.Select(record => pass == 0 ? record : new LogRecord
            {
                Topic = record.Topic,
                Partition = record.Partition,
                Offset = record.Offset + ((long)pass * held.Length),
                Key = record.Key,
                Value = record.Value,
                Headers = record.Headers,
                Timestamp = record.Timestamp,
            }))
            .ToArray()).ToArray();
        return new HeldRecords(Topic, partitions);
    }

    /// <summary>Reads every record of <paramref name="topic"/> up to its high watermarks (all <paramref name="count"/> of them, or it throws).</summary>
    public static async Task<HeldRecords> ReadAsync(IJobLog log, string topic, int partitions, int count, CancellationToken cancellationToken)
    {
        var all = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var watermarks = await log.GetWatermarksAsync(all, cancellationToken);
        var ends = all.Select(p => watermarks[p].High).ToArray();
        if (ends.Sum() != count)
        {
            throw new InvalidOperationException($"{topic} holds {ends.Sum():N0} records, not the {count:N0} produced.");
        }
        var read = ends.Select(end => new List<LogRecord>((int)end)).ToArray();
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(all.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, 0)).ToList());
        for (var left = count; left > 0;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (consumer.Consume(TimeSpan.FromMilliseconds(100), cancellationToken) is not { } record)
            {
                continue;
            }
            if (record.Offset != read[record.Partition].Count)
            {
                throw new InvalidOperationException($"{topic}/{record.Partition}: offset {record.Offset} read after {read[record.Partition].Count} records.");
            }
            read[record.Partition].Add(record);
            left--;
        }
        consumer.Close();
        return new HeldRecords(topic, read.Select(r => r.ToArray()).ToArray());
    }
}
