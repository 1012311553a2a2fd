using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Admin.Index;

/// <summary>
/// Keeps the dead-letter index up with the log: tails the error topic and the replay ledger from the offsets the index
/// stored, with a consumer of its own (manual assignment, no group, nothing committed: it works the same on every
/// engine), writes what it read in batches (one transaction each, with the new offsets), picks up partitions and the
/// topics themselves when they appear, and drops rows below the error topic's low watermark (records the log's
/// retention removed). It runs on a thread of its own; a failure is logged and the tail restarts from the index.
/// </summary>
internal sealed partial class DeadLetterIndexer(IJobLog log, DeadLetterIndex index, TopicNames topics, TimeProvider time,
    ILogger<DeadLetterIndexer> logger) : BackgroundService
{
    /// <summary>Most records written in one transaction.</summary>
    public const int BatchSize = 5000;

    // How often topics, partitions and low watermarks are looked at again, and the longest a read record waits to be written.
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Tail(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The index is a convenience: it never stops the service; it logs and starts over.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTailFailed(logger, e, RestartDelay.TotalSeconds);
                stoppingToken.WaitHandle.WaitOne(RestartDelay);
            }
        }
    }

    private void Tail(CancellationToken stoppingToken)
    {
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { ClientId = $"courier-dlq-index-{Environment.ProcessId}" });
        try
        {
            var next = index.Progress();
            var assigned = new HashSet<TopicPartition>();
            var pruned = new Dictionary<int, long>();
            var rows = new List<IndexedRow>();
            var replays = new List<IndexedReplay>();
            var lastRefresh = long.MinValue;
            var lastFlush = time.GetTimestamp();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (lastRefresh == long.MinValue || time.GetElapsedTime(lastRefresh) >= RefreshInterval)
                {
                    Flush(rows, replays, next);
                    Refresh(consumer, next, assigned, pruned, stoppingToken);
                    lastRefresh = time.GetTimestamp();
                }
                var record = assigned.Count == 0
                    ? WaitForTopics(stoppingToken)
                    : consumer.Consume(TimeSpan.FromMilliseconds(100), stoppingToken);
                if (record is not null)
                {
                    Add(record, rows, replays);
                    next[new TopicPartition(record.Topic, record.Partition)] = record.Offset + 1;
                    if (rows.Count + replays.Count < BatchSize && time.GetElapsedTime(lastFlush) < FlushInterval)
                    {
                        continue;
                    }
                }
                Flush(rows, replays, next);
                lastFlush = time.GetTimestamp();
            }
        }
        finally
        {
            consumer.Close();
        }
    }

    private static LogRecord? WaitForTopics(CancellationToken stoppingToken)
    {
        stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
        return null;
    }

    private void Add(LogRecord record, List<IndexedRow> rows, List<IndexedReplay> replays)
    {
        if (string.Equals(record.Topic, topics.ErrorTopic, StringComparison.Ordinal))
        {
            rows.Add(IndexedRow.FromRecord(record));
        }
        else if (ReplayLedger.TryRead(record, out var position, out var target, out var at)
            && string.Equals(position.Topic, topics.ErrorTopic, StringComparison.Ordinal))
        {
            replays.Add(new IndexedReplay(position.Partition, position.Offset, target, at?.ToUnixTimeMilliseconds()));
        }
    }

    private void Flush(List<IndexedRow> rows, List<IndexedReplay> replays, Dictionary<TopicPartition, long> next)
    {
        if (rows.Count == 0 && replays.Count == 0)
        {
            return;
        }
        index.Write(rows, replays, next);
        rows.Clear();
        replays.Clear();
    }

    // Assigns partitions that appeared, starts over from the low watermark where retention passed the index, and
    // drops rows retention removed from the error topic.
    private void Refresh(IJobLogConsumer consumer, Dictionary<TopicPartition, long> next, HashSet<TopicPartition> assigned,
        Dictionary<int, long> pruned, CancellationToken stoppingToken)
    {
        var described = log.ListTopicsAsync(stoppingToken).AsTask().GetAwaiter().GetResult();
        var reassign = false;
        foreach (var topic in (string[])[topics.ErrorTopic, topics.ReplayLedgerTopic])
        {
            var partitions = described.FirstOrDefault(t => string.Equals(t.Name, topic, StringComparison.Ordinal))?.Partitions ?? 0;
            var watermarks = log.GetWatermarksAsync(
                Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList(), stoppingToken).AsTask().GetAwaiter().GetResult();
            for (var p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                var low = PartitionWatermarks.Of(watermarks, tp).Low;
                var from = next.GetValueOrDefault(tp);
                if (from < low)
                {
                    next[tp] = low;
                    reassign = true;
                }
                reassign |= assigned.Add(tp);
                if (topic == topics.ErrorTopic && low > pruned.GetValueOrDefault(p))
                {
                    var removed = index.Prune(p, low);
                    pruned[p] = low;
                    if (removed > 0)
                    {
                        LogPruned(logger, removed, topic, p, low);
                    }
                }
            }
        }
        if (reassign)
        {
            // Everything read so far is flushed, so the stored offsets are where each partition goes on.
            index.Write([], [], next);
            consumer.Assign([.. assigned.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, next.GetValueOrDefault(tp)))]);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The dead-letter index stopped following the error topic; starting again in {Seconds} s")]
    private static partial void LogTailFailed(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} dead letters from the index: {Topic} partition {Partition} now starts at {Low} (retention)")]
    private static partial void LogPruned(ILogger logger, int count, string topic, int partition, long low);
}
