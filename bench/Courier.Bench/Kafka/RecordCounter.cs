using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Courier.Bench;

/// <summary>
/// Counts records a consumer's no-op handler ran for (through a <see cref="JobProbe"/>) and takes the process's CPU and
/// allocation counters when the first one runs, so that the report can give CPU and allocation per record from the first
/// record to the last: start-up (a group join, Wolverine's code generation) left out, as the first-to-last rate does.
/// </summary>
/// <remarks>Public only because Wolverine's generated handler code injects it into <see cref="WolverineNoopHandler"/>.</remarks>
[SuppressMessage("Performance", "CA1812", Justification = "Created by the Kafka section.")]
public sealed class RecordCounter
{
    private ResourceUse _begin;
    private ResourceUse _first;
    private ThreadCpu _firstThreads;
    private ThreadCpu? _threads;
    private int _marked;

    internal RecordCounter() => _begin = ResourceUse.Now();

    /// <summary>Counts the handled records; completes the consumer's measurement.</summary>
    internal JobProbe Probe { get; } = new();

    /// <summary>What the process used from <see cref="Begin"/> until the first record (zero if none came).</summary>
    internal ResourceUse StartUp => Volatile.Read(ref _marked) == 0 ? default : Difference(_first, _begin);

    /// <summary>
    /// CPU by thread group from the first record to <see cref="MarkLast"/> (null when either was not marked): the
    /// consumer's own threads apart from librdkafka's and the mock cluster's.
    /// </summary>
    internal ThreadCpu? Threads => _threads;

    /// <summary>Takes the counters at the start of the measured span.</summary>
    internal void Begin() => _begin = ResourceUse.Now();

    /// <summary>Takes the counters if this is the first record; a bare loop calls it and counts on its own.</summary>
    internal void MarkFirst()
    {
        if (Volatile.Read(ref _marked) == 0 && Interlocked.Exchange(ref _marked, 1) == 0)
        {
            _first = ResourceUse.Now();
            _firstThreads = ThreadCpu.Now();
        }
    }

    /// <summary>Takes the per-thread counters when the last record has been handled (before the consumer stops).</summary>
    internal void MarkLast()
    {
        if (Volatile.Read(ref _marked) != 0 && _threads is null)
        {
            _threads = ThreadCpu.Now().Since(_firstThreads);
        }
    }

    /// <summary>Called by a no-op handler for each record it ran.</summary>
    internal void OnHandled(long sequence, long enqueueTimestamp)
    {
        MarkFirst();
        Probe.OnStart(sequence, enqueueTimestamp);
    }

    /// <summary>
    /// Times a consumer that counts through this counter, from calling <paramref name="startAsync"/> until its handler
    /// has run <paramref name="count"/> times or <paramref name="limit"/> has passed; stopping it is the caller's, after.
    /// </summary>
    internal async Task<KafkaRun> MeasureAsync(KafkaConsumer consumer, int count, TimeSpan limit, Func<Task> startAsync,
        CancellationToken cancellationToken)
    {
        var start = 0L;
        var rate = await SystemBench.MeasureAsync(count, async () =>
        {
            Begin();
            var done = Probe.WhenExecuted(count);
            start = Stopwatch.GetTimestamp();
            await startAsync();
            await Task.WhenAny(done, Task.Delay(limit, cancellationToken));
            MarkLast();
            return Math.Min(Probe.Executions, count);
        });
        return KafkaRun.Of(consumer, rate, this, Probe.FirstStart, start);
    }

    private static ResourceUse Difference(ResourceUse end, ResourceUse start) =>
        new(end.CpuTime - start.CpuTime, end.AllocatedBytes - start.AllocatedBytes,
            end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2);
}
