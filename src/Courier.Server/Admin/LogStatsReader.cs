namespace Courier.Server.Admin;

/// <summary>Reads <see cref="LogStats"/> from a job log (what <c>courier stats</c> prints).</summary>
internal static class LogStatsReader
{
    /// <summary>Reads watermarks and committed offsets of every topic, and counts the dead letters.</summary>
    public static async Task<LogStats> ReadAsync(IJobLog log, CourierOptions options, string groupId,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var topics = new List<TopicStats>();
        var ledger = options.Topics.ReplayLedgerTopic;
        long replayed = 0;
        var listed = (await log.ListTopicsAsync(cancellationToken)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var watermarks = await log.GetWatermarksAsync(
            listed.SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p))).ToList(), cancellationToken);
        foreach (var topic in listed)
        {
            var (kind, jobType) = Classify(topic.Name, options.Topics, ledger);
            // Partitions of a topic that went away after the listing are left out.
            var partitions = Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartition(topic.Name, p))
                .Where(watermarks.ContainsKey).ToList();
            var committed = kind.IsConsumed()
                ? await log.GetCommittedOffsetsAsync(groupId, partitions, cancellationToken)
                : new Dictionary<TopicPartition, long>();
            var stats = new List<PartitionStats>(partitions.Count);
            foreach (var partition in partitions)
            {
                var marks = watermarks[partition];
                long? commit = committed.TryGetValue(partition, out var c) ? c : null;
                long? backlog = kind.IsConsumed() ? Math.Max(0, marks.High - Math.Max(commit ?? marks.Low, marks.Low)) : null;
                stats.Add(new PartitionStats(partition.Partition, marks.Low, marks.High, commit, backlog));
            }
            stats = await AddOldestUnprocessedAsync(log, topic.Name, stats, cancellationToken);
            var topicStats = new TopicStats(topic.Name, kind, jobType, stats);
            if (kind == TopicKind.ReplayLedger)
            {
                replayed = topicStats.Records;
            }
            topics.Add(topicStats);
        }

        var deadLetters = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        await LogScanner.ScanAsync(log, options.Topics.ErrorTopic, record =>
        {
            var deadLetter = DeadLetter.FromRecord(record);
            var type = deadLetter.JobType ?? "?";
            var failureClass = deadLetter.Class?.ToWireName() ?? "unknown";
            if (!deadLetters.TryGetValue(type, out var byClass))
            {
                deadLetters[type] = byClass = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            byClass[failureClass] = byClass.GetValueOrDefault(failureClass) + 1;
        }, timeProvider ?? TimeProvider.System, cancellationToken);

        return new LogStats
        {
            GroupId = groupId,
            Topics = topics,
            DeadLetters = deadLetters.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value, StringComparer.Ordinal),
            Replayed = replayed,
        };
    }

    /// <summary>
    /// Reads the first uncompleted record of every partition with a backlog, for its append time: the age of the
    /// oldest unprocessed job. One manual-assignment consumer reads them all, bounded in time; a partition whose
    /// record does not arrive in time keeps no age rather than a wrong one.
    /// </summary>
    private static async Task<List<PartitionStats>> AddOldestUnprocessedAsync(IJobLog log, string topic, List<PartitionStats> stats,
        CancellationToken cancellationToken)
    {
        var starts = stats.Where(p => p.Backlog > 0)
            .Select(p => new TopicPartitionOffset(topic, p.Partition, Math.Max(p.Committed ?? p.Low, p.Low)))
            .ToList();
        if (starts.Count == 0)
        {
            return stats;
        }
        var found = await Task.Run(() =>
        {
            var first = new Dictionary<int, DateTimeOffset>();
            using var consumer = log.CreateConsumer(new JobLogConsumerOptions { MaxPrefetch = starts.Count });
            consumer.Assign(starts);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (first.Count < starts.Count && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200), cancellationToken) is { } record && !first.ContainsKey(record.Partition))
                {
                    first[record.Partition] = record.Timestamp;
                    consumer.Pause([new TopicPartition(topic, record.Partition)]);
                }
            }
            consumer.Close();
            return first;
        }, cancellationToken);
        return stats.Select(p => found.TryGetValue(p.Partition, out var t) ? p with { OldestUnprocessed = t } : p).ToList();
    }

    /// <summary>What a topic holds, and its job type, judged by name (<see cref="TopicNames"/> reads the names).</summary>
    public static (TopicKind Kind, string? JobType) Classify(string topic, TopicNames names, string? replayLedgerTopic = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(names);
        if (names.IsErrorTopic(topic))
        {
            return (TopicKind.Error, null);
        }
        if (string.Equals(topic, replayLedgerTopic ?? names.ReplayLedgerTopic, StringComparison.Ordinal))
        {
            return (TopicKind.ReplayLedger, null);
        }
        if (names.TryParseJobTopic(topic, out var jobType))
        {
            return (TopicKind.Job, jobType);
        }
        if (names.TryParseRetryTopic(topic, out _, out var retried))
        {
            return (TopicKind.Retry, names.TryParseJobTopic(retried, out var retriedType) ? retriedType : null);
        }
        if (names.TryParsePartitionedTopic(topic, out var partitioned))
        {
            return (TopicKind.Partitioned, names.TryParseJobTopic(partitioned, out var partitionedType) ? partitionedType : null);
        }
        return (TopicKind.Other, null);
    }
}
