using System.Diagnostics.Metrics;
using System.Globalization;
using Courier.Dispatching.Routing;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Monitoring;

/// <summary>
/// Consumer lag and the age of the oldest pending job: read from the log (every LagRefreshInterval, and whenever
/// someone asks), kept, and reported by the backlog, lag and oldest-pending gauges.
/// </summary>
internal sealed class LagMonitor(IJobLog log, RouteTable routes, DispatcherOptions options, TimeProvider time, ILogger logger)
{
    private volatile LagReading? _last;
    private volatile Dictionary<string, long> _oldestPending = new(StringComparer.Ordinal);

    /// <summary>Reports the backlog, lag and oldest-pending gauges from what this monitor last read.</summary>
    public void Observe(CourierTelemetry telemetry)
    {
        telemetry.ObserveBacklog(ObserveBacklog);
        telemetry.ObserveLag(ObserveLag, ObserveOldestPending);
    }

    /// <summary>Consumer lag of every partition the dispatcher consumes, read from the log (the whole group's).</summary>
    public async ValueTask<IReadOnlyList<PartitionLag>> ReadLagAsync(CancellationToken cancellationToken)
    {
        var topics = await log.ListTopicsAsync(cancellationToken);
        var partitions = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            if (routes.Resolve(topic.Name, create: false) is not null)
            {
                for (var p = 0; p < topic.Partitions; p++)
                {
                    partitions.Add(new TopicPartition(topic.Name, p));
                }
            }
        }
        var committed = await log.GetCommittedOffsetsAsync(options.GroupId, partitions, cancellationToken);
        // One batched read: on Kafka a round trip per partition made a lag read of 200 types take seconds.
        var watermarks = await log.GetWatermarksAsync(partitions, cancellationToken);
        var lags = new List<PartitionLag>(partitions.Count);
        foreach (var partition in partitions)
        {
            // A partition missing from the answer went away after the listing: it has no lag to report.
            if (watermarks.TryGetValue(partition, out var marks))
            {
                lags.Add(new PartitionLag(partition, committed.TryGetValue(partition, out var c) ? c : marks.Low, marks.High));
            }
        }
        _last = new LagReading(lags, time.GetUtcNow());
        return lags;
    }

    /// <summary>The last lag read (by the refresh loop or anyone who asked), or null before the first.</summary>
    public LagReading? Last => _last;

    /// <summary>Publishes the log timestamp (Unix ms) of the oldest pending job per type; the consumer thread's view.</summary>
    public void PublishOldestPending(Dictionary<string, long> oldestByType) => _oldestPending = oldestByType;

    /// <summary>Age of the oldest job taken and not finished, per job type.</summary>
    public IReadOnlyDictionary<string, TimeSpan> OldestPendingAge()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = _oldestPending;
        return oldest.ToDictionary(kv => kv.Key, kv => TimeSpan.FromMilliseconds(Math.Max(0, now - kv.Value)), StringComparer.Ordinal);
    }

    /// <summary>Reads the lag every LagRefreshInterval until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RefreshLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.LagRefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await ReadLagAsync(stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Lag is observability: a failed read is logged and tried again next tick.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    DispatcherLog.LagReadFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        // Gauges report the last lag read (by the dispatcher's own refresh every LagRefreshInterval, IsIdleAsync,
        // `courier stats` or the CLI's progress view) rather than querying the log inside a metrics callback.
        var lags = _last?.Partitions;
        if (lags is null)
        {
            yield break;
        }
        foreach (var group in lags.GroupBy(l => l.Partition.Topic))
        {
            yield return new Measurement<long>(group.Sum(l => l.Lag), new KeyValuePair<string, object?>("messaging.destination.name", group.Key));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        var lags = _last?.Partitions;
        if (lags is null)
        {
            yield break;
        }
        foreach (var lag in lags)
        {
            yield return new Measurement<long>(lag.Lag,
                new KeyValuePair<string, object?>("messaging.destination.name", lag.Partition.Topic),
                new KeyValuePair<string, object?>("messaging.destination.partition.id", lag.Partition.Partition.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldestPending()
    {
        foreach (var (type, age) in OldestPendingAge())
        {
            yield return new Measurement<double>(age.TotalSeconds, new KeyValuePair<string, object?>("job.type", type));
        }
    }
}
