using System.Collections.Concurrent;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// Finished jobs on their way back from the workers to the consumer thread, the count of jobs in flight, and the
/// signal that wakes the consumer thread when it waits for them.
/// </summary>
internal sealed class CompletionQueue : IDisposable
{
    private readonly ConcurrentQueue<(PartitionState Partition, long Offset, bool Done)> _completions = new();
    // No spinning before blocking: the consumer thread waits here while the workers it waits for need the CPU
    // (on 2 cores the Kafka benchmark profile showed most of this thread's CPU going to spin-waits).
    private readonly ManualResetEventSlim _completed = new(false, spinCount: 0);
    private int _inFlight;

    // Completions since the consumer thread last drained them, and how many wake it (1 unless it waits for budget).
    private int _completionsSinceWake;
    private int _wakeAfter = 1;

    /// <summary>Jobs started and not finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A job was started (consumer thread).</summary>
    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <summary>
    /// A job finished (worker); <paramref name="done"/> when its outcome is durable and its offset may complete.
    /// Wakes the consumer thread once enough jobs have finished since it last looked.
    /// </summary>
    public void Finished(PartitionState partition, long offset, bool done)
    {
        _completions.Enqueue((partition, offset, done));
        Interlocked.Decrement(ref _inFlight);
        Signal();
    }

    /// <summary>
    /// A job gave its budget slot back before finishing (its handler is done, a log write is awaited): counted like a
    /// completion towards waking the consumer thread, which may start another job in its place.
    /// </summary>
    public void SlotFreed() => Signal();

    /// <summary>
    /// Counts a completion towards waking the consumer thread and wakes it once enough have come. An event already set
    /// is not set again: each Set is an atomic update of the event's state, two a job, on a line the consumer thread
    /// shares. Safe because the consumer thread resets the event before it drains, and what was queued before this
    /// read of the event is drained after that reset.
    /// </summary>
    private void Signal()
    {
        if (Interlocked.Increment(ref _completionsSinceWake) >= Volatile.Read(ref _wakeAfter) && !_completed.IsSet)
        {
            _completed.Set();
        }
    }

    /// <summary>How many completions wake the consumer thread (it batches them while records wait for budget).</summary>
    public void WakeAfter(int completions) => Volatile.Write(ref _wakeAfter, completions);

    /// <summary>Waits until woken, or at most <paramref name="timeout"/>.</summary>
    public void Wait(TimeSpan timeout) => _completed.Wait(timeout);

    /// <summary>Wakes the consumer thread now (stopping).</summary>
    public void Wake() => _completed.Set();

    /// <summary>Completes the offsets of finished jobs whose partitions are still owned (consumer thread).</summary>
    public void Drain()
    {
        _completed.Reset();
        Volatile.Write(ref _completionsSinceWake, 0);
        while (_completions.TryDequeue(out var completion))
        {
            if (completion.Done && completion.Partition.Owned)
            {
                completion.Partition.Tracker.Complete(completion.Offset);
            }
        }
    }

    public void Dispose() => _completed.Dispose();
}
