namespace Courier.Server.Admin;

/// <summary>
/// Reads a topic from its low watermark up to the high watermark each partition had when the scan started, without
/// a consumer group (nothing is committed). Records appended during the scan are not visited. The consumer is owned
/// by one long-running task, as consumers require.
/// </summary>
internal static class LogScanner
{
    // A scan that sees no record for this long, while partitions are still short of their end, is stuck.
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Visits every record of the topic.</summary>
    public static Task ScanAsync(IJobLog log, string topic, Action<LogRecord> visit, TimeProvider timeProvider,
        CancellationToken cancellationToken) =>
        ScanWhileAsync(log, topic, partition: null, fromOffset: null, r => { visit(r); return true; }, timeProvider, cancellationToken);

    /// <summary>Scans one partition (or all when null), from an offset (or the low watermark); <paramref name="visit"/> returns false to stop.</summary>
    public static async Task ScanWhileAsync(IJobLog log, string topic, int? partition, long? fromOffset, Func<LogRecord, bool> visit,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var description = (await log.ListTopicsAsync(cancellationToken)).FirstOrDefault(t => string.Equals(t.Name, topic, StringComparison.Ordinal));
        if (description is null)
        {
            return;
        }
        var starts = new List<TopicPartitionOffset>();
        var ends = new Dictionary<int, long>();
        var watermarks = await log.GetWatermarksAsync(Enumerable.Range(0, description.Partitions)
            .Where(p => partition is not { } only || only == p).Select(p => new TopicPartition(topic, p)).ToList(), cancellationToken);
        foreach (var (tp, marks) in watermarks.OrderBy(kv => kv.Key.Partition))
        {
            var p = tp.Partition;
            var start = Math.Max(marks.Low, fromOffset ?? marks.Low);
            if (marks.High > start)
            {
                starts.Add(new TopicPartitionOffset(topic, p, start));
                ends[p] = marks.High;
            }
        }
        if (starts.Count == 0)
        {
            return;
        }
        await Task.Factory.StartNew(() => Scan(log, starts, ends, visit, timeProvider, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// The records at <paramref name="offsets"/> of one topic (partition to offsets), read with one consumer that
    /// seeks over gaps; positions outside the partition's watermarks are left out of the answer.
    /// </summary>
    public static async Task<Dictionary<TopicPartitionOffset, LogRecord>> ReadAtAsync(IJobLog log, string topic,
        IReadOnlyDictionary<int, List<long>> offsets, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<int, Queue<long>>();
        var watermarks = await log.GetWatermarksAsync(offsets.Keys.Select(p => new TopicPartition(topic, p)).ToList(), cancellationToken);
        foreach (var (partition, list) in offsets)
        {
            // A partition that does not exist has no records to read.
            if (!watermarks.TryGetValue(new TopicPartition(topic, partition), out var marks))
            {
                continue;
            }
            var inRange = list.Where(o => o >= marks.Low && o < marks.High).Distinct().Order().ToList();
            if (inRange.Count > 0)
            {
                wanted[partition] = new Queue<long>(inRange);
            }
        }
        var found = new Dictionary<TopicPartitionOffset, LogRecord>();
        if (wanted.Count == 0)
        {
            return found;
        }
        await Task.Factory.StartNew(() => ReadAt(log, topic, wanted, found, timeProvider, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return found;
    }

    // Wanted offsets further apart than this are sought rather than read through.
    private const long SeekGap = 64;

    private static void ReadAt(IJobLog log, string topic, Dictionary<int, Queue<long>> wanted, Dictionary<TopicPartitionOffset, LogRecord> found,
        TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { ClientId = $"courier-admin-{Environment.ProcessId}" });
        consumer.Assign([.. wanted.Select(w => new TopicPartitionOffset(topic, w.Key, w.Value.Peek()))]);
        var lastProgress = timeProvider.GetTimestamp();
        try
        {
            while (wanted.Count > 0)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(200), cancellationToken);
                if (record is null)
                {
                    if (timeProvider.GetElapsedTime(lastProgress) > StallTimeout)
                    {
                        throw new JobLogException($"reading {topic} by position stalled: partitions {string.Join(", ", wanted.Keys)} gave no record within {StallTimeout.TotalSeconds:0} s");
                    }
                    continue;
                }
                lastProgress = timeProvider.GetTimestamp();
                if (!wanted.TryGetValue(record.Partition, out var queue))
                {
                    continue;
                }
                while (queue.Count > 0 && queue.Peek() <= record.Offset)
                {
                    if (queue.Dequeue() == record.Offset)
                    {
                        found[record.Position] = record;
                    }
                }
                if (queue.Count == 0)
                {
                    wanted.Remove(record.Partition);
                    consumer.Pause([new TopicPartition(topic, record.Partition)]);
                }
                else if (queue.Peek() - record.Offset > SeekGap)
                {
                    consumer.Seek(new TopicPartitionOffset(topic, record.Partition, queue.Peek()));
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    private static void Scan(IJobLog log, List<TopicPartitionOffset> starts, Dictionary<int, long> ends,
        Func<LogRecord, bool> visit, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { ClientId = $"courier-admin-{Environment.ProcessId}" });
        consumer.Assign(starts);
        var remaining = new HashSet<int>(ends.Keys);
        var lastProgress = timeProvider.GetTimestamp();
        try
        {
            while (remaining.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var record = consumer.Consume(TimeSpan.FromMilliseconds(200), cancellationToken);
                if (record is null)
                {
                    if (timeProvider.GetElapsedTime(lastProgress) > StallTimeout)
                    {
                        throw new JobLogException(
                            $"reading {starts[0].Topic} stalled: partitions {string.Join(", ", remaining)} did not reach their end within {StallTimeout.TotalSeconds:0} s");
                    }
                    continue;
                }
                lastProgress = timeProvider.GetTimestamp();
                if (!remaining.Contains(record.Partition))
                {
                    continue;
                }
                var end = ends[record.Partition];
                if (record.Offset < end && !visit(record))
                {
                    return;
                }
                if (record.Offset + 1 >= end)
                {
                    remaining.Remove(record.Partition);
                    consumer.Pause([new TopicPartition(record.Topic, record.Partition)]);
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }
}
