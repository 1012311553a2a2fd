namespace Courier.Bench;

/// <summary>Samples the process's working set and managed heap periodically and keeps the largest values.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakWorkingSet;
    private long _peakGcHeap;

    public MemorySampler(TimeSpan interval)
    {
        Sample();
        _loop = RunAsync(interval);
    }

    /// <summary>Largest <see cref="Environment.WorkingSet"/> seen, in bytes.</summary>
    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    /// <summary>Largest <see cref="GC.GetTotalMemory(bool)"/> seen, in bytes (allocated managed memory, not collected first).</summary>
    public long PeakGcHeap => Interlocked.Read(ref _peakGcHeap);

    /// <summary>Stops sampling after one last sample.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
            Sample();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        Max(ref _peakWorkingSet, Environment.WorkingSet);
        Max(ref _peakGcHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Max(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
