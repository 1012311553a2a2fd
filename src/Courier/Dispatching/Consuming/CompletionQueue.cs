using System.Collections.Concurrent;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// Finished jobs on their way back from the workers to the consumer thread, the count of jobs in flight, and the
/// signal that wakes the consumer thread when it waits for them.
/// </summary>
/// <remarks>
/// The counts of jobs in flight (this queue's, each partition's, and unless a job's slot gave it back earlier its
/// budget's records and bytes handed over) are written by the consumer thread alone: up when it starts a job, down
/// when it drains the job's completion. A worker only enqueues, to a queue of its own thread's: one queue shared by
/// every worker cost each job a compare-and-swap on a tail the other workers had just moved and a slot the consumer
/// thread had just emptied (about half of <c>JobRunner.ExecuteAsync</c>'s own samples in the Kafka benchmark's
/// profile). Inside a <see cref="Execution.StartBatch"/> a worker wakes the consumer thread once at the end rather
/// than for each job (<see cref="Batch"/>). The consumer thread drains every turn of its loop whether woken or
/// not, so a job that blocks its thread delays the completions queued before it by no more than that turn: the wait
/// for budget (2 ms) or for records (50 ms, which no completion ever cut short).
/// </remarks>
internal sealed class CompletionQueue : IDisposable
{
    [ThreadStatic] private static WorkerThread? t_thread;

    /// <summary>The calling thread's state, made on its first use.</summary>
    private static WorkerThread ThisThread => t_thread ??= new WorkerThread();

    private readonly Lock _queuesLock = new();
    private readonly Dictionary<int, ConcurrentQueue<Completion>> _byThread = [];
    private ConcurrentQueue<Completion>[] _queues = [];

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
    /// <paramref name="handedOverBytes"/> is its record's size when its budget still counts it as handed over (the
    /// drain gives it back), -1 when its slot gave that back already (<see cref="Execution.JobSlot.Free()"/>).
    /// </summary>
    public void Finished(PartitionState partition, long offset, bool done, int handedOverBytes)
    {
        var thread = ThisThread;
        QueueOf(thread).Enqueue(new Completion(partition, offset, done, handedOverBytes));
        if (thread.BatchDepth > 0)
        {
            Owe(thread);
        }
        else
        {
            Signal(1);
        }
    }

    /// <summary>
    /// A job gave its budget slot back before finishing (its handler is done, a log write is awaited): counted like a
    /// completion towards waking the consumer thread, which may start another job in its place.
    /// </summary>
    public void SlotFreed() => Signal(1);

    /// <summary>
    /// The calling thread starts a batch of jobs (<see cref="Execution.StartBatch"/>): the completions it reports until
    /// the returned scope is disposed wake the consumer thread once, at the end.
    /// </summary>
    public static BatchScope Batch()
    {
        var thread = ThisThread;
        thread.BatchDepth++;
        return new BatchScope(thread);
    }

    /// <summary>A batch begun by <see cref="Batch"/>; disposing it wakes the consumer thread for the completions held back.</summary>
    public readonly ref struct BatchScope
    {
        private readonly WorkerThread _thread;

        internal BatchScope(WorkerThread thread) => _thread = thread;

        public void Dispose()
        {
            if (--_thread.BatchDepth == 0)
            {
                PayOwed(_thread);
            }
        }
    }

    private void Owe(WorkerThread thread)
    {
        if (!ReferenceEquals(thread.Owed, this))
        {
            PayOwed(thread); // another dispatcher's, finished on this thread in the same batch
            thread.Owed = this;
        }
        thread.OwedCompletions++;
    }

    private static void PayOwed(WorkerThread thread)
    {
        if (thread.Owed is { } owed)
        {
            var completions = thread.OwedCompletions;
            thread.Owed = null;
            thread.OwedCompletions = 0;
            owed.Signal(completions);
        }
    }

    /// <summary>
    /// Counts completions towards waking the consumer thread and wakes it once enough have come. An event already set
    /// is not set again: each Set is an atomic update of the event's state on a line the consumer thread shares. Safe
    /// because the consumer thread resets the event before it drains, and what was queued before this read of the
    /// event is drained after that reset.
    /// </summary>
    private void Signal(int completions)
    {
        if (_completed.IsSet)
        {
            return; // the consumer thread drains after it resets the event: nothing to count until then
        }
        if (Interlocked.Add(ref _completionsSinceWake, completions) >= Volatile.Read(ref _wakeAfter))
        {
            _completed.Set();
        }
    }

    /// <summary>The calling thread's queue (made on its first completion of this dispatcher).</summary>
    private ConcurrentQueue<Completion> QueueOf(WorkerThread thread)
    {
        if (ReferenceEquals(thread.Owner, this))
        {
            return thread.Queue!;
        }
        var id = Environment.CurrentManagedThreadId;
        ConcurrentQueue<Completion>? queue;
        lock (_queuesLock)
        {
            if (!_byThread.TryGetValue(id, out queue))
            {
                queue = new ConcurrentQueue<Completion>();
                _byThread.Add(id, queue);
                Volatile.Write(ref _queues, [.. _queues, queue]);
            }
        }
        thread.Owner = this;
        thread.Queue = queue;
        return queue;
    }

    /// <summary>How many completions wake the consumer thread (it batches them while records wait for budget).</summary>
    public void WakeAfter(int completions) => Volatile.Write(ref _wakeAfter, completions);

    /// <summary>Waits until woken, or at most <paramref name="timeout"/>; true when woken.</summary>
    public bool Wait(TimeSpan timeout) => _completed.Wait(timeout);

    /// <summary>Wakes the consumer thread now (stopping).</summary>
    public void Wake() => _completed.Set();

    /// <summary>
    /// Counts the finished jobs out of the jobs in flight (and out of their budgets' records handed over, unless their
    /// slots did) and completes the offsets of those whose partitions are still owned (consumer thread).
    /// </summary>
    public void Drain()
    {
        _completed.Reset();
        Volatile.Write(ref _completionsSinceWake, 0);
        var inFlight = _inFlight;
        foreach (var queue in Volatile.Read(ref _queues))
        {
            while (queue.TryDequeue(out var completion))
            {
                inFlight--;
                var partition = completion.Partition;
                partition.InFlight--;
                if (completion.HandedOverBytes >= 0)
                {
                    partition.Budget.Return(completion.HandedOverBytes);
                }
                if (completion.Done && partition.Owned)
                {
                    partition.Tracker.Complete(completion.Offset);
                }
            }
        }
        Volatile.Write(ref _inFlight, inFlight);
    }

    public void Dispose() => _completed.Dispose();

    internal readonly record struct Completion(PartitionState Partition, long Offset, bool Done, int HandedOverBytes);

    /// <summary>
    /// What a worker thread keeps between the jobs it finishes: one thread-static read a job rather than one for each
    /// field. The queue is the last dispatcher's it finished a job for (a thread serves every dispatcher of the process).
    /// </summary>
    internal sealed class WorkerThread
    {
        public CompletionQueue? Owner;
        public ConcurrentQueue<Completion>? Queue;
        public int BatchDepth;
        public CompletionQueue? Owed;
        public int OwedCompletions;
    }
}
