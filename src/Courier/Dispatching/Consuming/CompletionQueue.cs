using System.Collections.Concurrent;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// Finished jobs on their way back from the workers to the consumer thread, the count of jobs in flight, and the
/// signal that wakes the consumer thread when it waits for them.
/// </summary>
/// <remarks>
/// The counts of jobs in flight (this queue's and each partition's) are written by the consumer thread alone: up when
/// it starts a job, down when it drains the job's completion. A worker only enqueues. Counting down on the workers cost
/// two atomic updates a job on cache lines the consumer thread reads and writes (the partition's state among them).
/// </remarks>
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

    /// <summary>
    /// Jobs started and not yet drained (<see cref="Drain"/>): exact on the consumer thread; another thread may see a
    /// finished job still counted until the consumer thread drains it.
    /// </summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A job of <paramref name="partition"/> was started (consumer thread).</summary>
    public void Started(PartitionState partition)
    {
        partition.InFlight++;
        Volatile.Write(ref _inFlight, _inFlight + 1);
    }

    /// <summary>
    /// A job finished (worker); <paramref name="done"/> when its outcome is durable and its offset may complete.
    /// Wakes the consumer thread once enough jobs have finished since it last looked.
    /// </summary>
    public void Finished(PartitionState partition, long offset, bool done)
    {
        _completions.Enqueue((partition, offset, done));
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
        if (_completed.IsSet)
        {
            return; // the consumer thread drains after it resets the event: nothing to count until then
        }
        if (Interlocked.Increment(ref _completionsSinceWake) >= Volatile.Read(ref _wakeAfter))
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

    /// <summary>
    /// Counts the finished jobs out of the jobs in flight and completes the offsets of those whose partitions are
    /// still owned (consumer thread).
    /// </summary>
    public void Drain()
    {
        _completed.Reset();
        Volatile.Write(ref _completionsSinceWake, 0);
        var inFlight = _inFlight;
        while (_completions.TryDequeue(out var completion))
        {
            inFlight--;
            completion.Partition.InFlight--;
            if (completion.Done && completion.Partition.Owned)
            {
                completion.Partition.Tracker.Complete(completion.Offset);
            }
        }
        Volatile.Write(ref _inFlight, inFlight);
    }

    public void Dispose() => _completed.Dispose();
}
