using Courier.Dispatching.Monitoring;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// Hands the end of each partition's contiguous completed prefix to the log. Routinely (every CommitInterval) it only
/// stores them, which never waits on the network: the engine commits them in the background, so a group coordinator
/// that is down or slow cannot hold up the consumer thread — consuming, starting jobs and draining completions go
/// on while commits fail. Before partitions go to another member (a revoke) and at shutdown it commits
/// synchronously, as the next owner must start where this one stopped.
/// </summary>
internal sealed class OffsetCommitter(PartitionTable partitions, LagMonitor lag, CourierTelemetry telemetry, ILogger logger)
{
    /// <summary>Stores (or, when <paramref name="durable"/>, commits) the progress of every partition held.</summary>
    public void Commit(IJobLogConsumer consumer, bool durable)
    {
        PublishOldestPending();
        Commit(consumer, durable, partitions.All);
    }

    /// <summary>Stores (or, when <paramref name="durable"/>, commits) the progress of <paramref name="only"/>.</summary>
    public void Commit(IJobLogConsumer consumer, bool durable, IEnumerable<PartitionState> only)
    {
        List<TopicPartitionOffset>? offsets = null;
        foreach (var partition in only)
        {
            var committable = partition.Tracker.CommittableOffset;
            // A stored offset is not durable yet: a durable commit sends everything not known to be committed.
            if (committable >= 0 && committable != (durable ? partition.LastCommitted : partition.LastStored))
            {
                (offsets ??= []).Add(new TopicPartitionOffset(partition.Partition.Topic, partition.Partition.Partition, committable));
            }
        }
        if (offsets is null)
        {
            return;
        }
        try
        {
            if (durable)
            {
                consumer.Commit(offsets);
            }
            else
            {
                consumer.StoreOffsets(offsets);
            }
            foreach (var offset in offsets)
            {
                if (partitions.TryGet(offset.TopicPartition, out var partition))
                {
                    partition.LastStored = offset.Offset;
                    if (durable)
                    {
                        partition.LastCommitted = offset.Offset;
                    }
                }
            }
        }
#pragma warning disable CA1031 // A failed commit is retried on the next interval; the jobs are done either way.
        catch (Exception e)
#pragma warning restore CA1031
        {
            CommitFailed(e);
        }
    }

    /// <summary>A commit failed: the engine's background commit of stored offsets (it tries again with its next one) or ours.</summary>
    public void CommitFailed(Exception error)
    {
        DispatcherLog.CommitFailed(logger, error);
        DispatcherMetrics.CountLogError(telemetry, "commit");
    }

    private void PublishOldestPending()
    {
        var oldest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in partitions.All)
        {
            if (partition.Tracker.OldestPendingTimestampMs is { } ts)
            {
                var type = partition.Route.Type.Name;
                oldest[type] = oldest.TryGetValue(type, out var known) ? Math.Min(known, ts) : ts;
            }
        }
        lag.PublishOldestPending(oldest);
    }
}
