using System.Diagnostics;

namespace Courier.Bench;

/// <summary>
/// What every system's no-op handler calls: counts executions and, for the latency run, records each job's
/// start time minus the enqueue timestamp the job carried in its params.
/// </summary>
internal sealed class JobProbe
{
    private readonly long[]? _startDelays;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _executions;
    private long _duplicates;
    private long _target = long.MaxValue;
    private long _firstStart;

    /// <summary>Creates a probe; with <paramref name="latencyCapacity"/> it records start delays of jobs 0…capacity−1.</summary>
    public JobProbe(int latencyCapacity = 0) =>
        _startDelays = latencyCapacity > 0 ? new long[latencyCapacity] : null;

    /// <summary>Handler executions so far.</summary>
    public long Executions => Volatile.Read(ref _executions);

    /// <summary>Stopwatch timestamp of the first execution, or 0 before it.</summary>
    public long FirstStart => Volatile.Read(ref _firstStart);

    /// <summary>Latency jobs that ran more than once (a redelivery); they count once in the figures.</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Called first thing in the handler.</summary>
    public void OnStart(long sequence, long enqueueTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _firstStart) == 0)
        {
            Interlocked.CompareExchange(ref _firstStart, now, 0);
        }
        if (_startDelays is not null && (ulong)sequence < (ulong)_startDelays.Length)
        {
            // Stored +1 so that 0 means "never started", even for a delay of 0 ticks.
            if (Interlocked.CompareExchange(ref _startDelays[sequence], now - enqueueTimestamp + 1, 0) != 0)
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
        if (Interlocked.Increment(ref _executions) >= Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }

    /// <summary>Completes when <paramref name="count"/> executions have happened (set once per probe).</summary>
    public Task WhenExecuted(long count)
    {
        Volatile.Write(ref _target, count);
        if (Executions >= count)
        {
            _reached.TrySetResult();
        }
        return _reached.Task;
    }

    /// <summary>Start delay of a latency job in Stopwatch ticks, or null if it has not started.</summary>
    public long? StartDelay(long sequence)
    {
        var stored = _startDelays is null ? 0 : Volatile.Read(ref _startDelays[sequence]);
        return stored == 0 ? null : stored - 1;
    }
}
