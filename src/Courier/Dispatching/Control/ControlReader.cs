using Courier.Dispatching.Cancelling;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Control;

/// <summary>
/// Reads the control topic for one dispatcher, with a consumer of its own outside any group (every partition from
/// the start, never committing), and applies the latest <see cref="ControlRecord"/> of each known job type: a pause
/// as the operator's pause, a resume as a resume. A record for a type the dispatcher does not know yet (a pattern
/// rule's, before its first job) is applied once the type is known. A cancel record (<see cref="CancelRecord"/>) is
/// handed to <paramref name="cancel"/> as it is read, while catching up too (an expired one changes nothing). Runs on a
/// thread of its own.
/// </summary>
internal sealed class ControlReader(IJobLog log, TopicNames names, Func<string, bool> knows, Action<string, string> pause,
    Action<string> resume, Func<CancelRecord, bool> cancel, ILogger logger)
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, ControlRecord> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ControlRecord> _applied = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done once every record present at the start has been applied.</summary>
    public Task CaughtUp => _caughtUp.Task;

    /// <summary>Creates the topic if needed and reads it until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        IJobLogConsumer? consumer = null;
        try
        {
            await log.EnsureTopicAsync(names.ControlTopic, 1, stopping);
            var partitions = (await log.ListTopicsAsync(stopping)).FirstOrDefault(t => t.Name == names.ControlTopic)?.Partitions ?? 1;
            var ends = new Dictionary<int, long>();
            var starts = new List<TopicPartitionOffset>();
            var watermarks = await log.GetWatermarksAsync(
                Enumerable.Range(0, partitions).Select(p => new TopicPartition(names.ControlTopic, p)).ToList(), stopping);
            for (var p = 0; p < partitions; p++)
            {
                var marks = PartitionWatermarks.Of(watermarks, new TopicPartition(names.ControlTopic, p));
                starts.Add(new TopicPartitionOffset(names.ControlTopic, p, marks.Low));
                if (marks.High > marks.Low)
                {
                    ends[p] = marks.High;
                }
            }
            consumer = log.CreateConsumer(new JobLogConsumerOptions());
            consumer.Assign(starts);
            await Task.Factory.StartNew(() => Read(consumer, ends, stopping), stopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Without the control topic the dispatcher still runs; it says so.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ControlLog.ReadFailed(logger, e, names.ControlTopic);
        }
        finally
        {
            _caughtUp.TrySetResult();
            consumer?.Close();
            consumer?.Dispose();
        }
    }

    private void Read(IJobLogConsumer consumer, Dictionary<int, long> ends, CancellationToken stopping)
    {
        var live = false;
        while (!stopping.IsCancellationRequested)
        {
            LogRecord? record;
            try
            {
                record = consumer.Consume(PollTimeout, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A log error must not end the reading: say so and try again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ControlLog.ReadFailed(logger, e, names.ControlTopic);
                stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                continue;
            }
            if (record is not null)
            {
                if (ControlRecord.Read(record.Key, record.Value.Span, record.Timestamp) is { } control)
                {
                    _latest[control.Type] = control;
                }
                else if (CancelRecord.Read(record.Key, record.Value.Span) is { } cancelled)
                {
                    cancel(cancelled);
                }
                if (ends.TryGetValue(record.Partition, out var end) && record.Offset + 1 >= end)
                {
                    ends.Remove(record.Partition);
                }
            }
            if (record is null || ends.Count == 0)
            {
                Apply(live);
                if (!live && ends.Count == 0)
                {
                    live = true;
                    _caughtUp.TrySetResult();
                }
            }
        }
    }

    /// <summary>
    /// Applies each known type's latest record unless it already was. While catching up (not <paramref name="live"/>)
    /// a resume with no pause applied before it changes nothing: it must not reset a breaker at every start.
    /// </summary>
    private void Apply(bool live)
    {
        foreach (var (type, record) in _latest)
        {
            if (_applied.TryGetValue(type, out var done) && done == record || !knows(type))
            {
                continue;
            }
            _applied[type] = record;
            if (record.Paused)
            {
                pause(type, $"{record.Reason} (by {record.By})");
            }
            else if (done is not null || live)
            {
                resume(type);
            }
            ControlLog.Applied(logger, type, record.Paused ? "pause" : "resume", record.By, record.At);
        }
    }
}
