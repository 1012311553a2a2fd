using Courier.Dispatching.Consuming;
using Courier.Dispatching.Routing;

namespace Courier.Dispatching.Execution;

/// <summary>
/// The records of one <see cref="Budget"/> handed to the workers while all its running slots were taken or its type
/// was paused, started in the order they were parked as slots free (<see cref="Budget.Exit"/> queues this as a
/// thread-pool work item) and once the type is resumed.
/// </summary>
/// <remarks>
/// No record is stranded: a worker that parks one tries for a slot again after parking it, and a job that gives its
/// slot back looks for parked records after giving it, so one of the two always sees the other. Like
/// <see cref="StartBatch"/>, before it starts a record it makes sure one more work item is queued while others wait,
/// so a handler that blocks its thread never holds the records behind it. Records of partitions being let go (revoked,
/// or the dispatcher stopping) are never started from here: they are given back (<see cref="GiveBack"/>) and read
/// again by whoever owns the partition next.
/// </remarks>
internal sealed class SlotWaiters(Budget budget) : IThreadPoolWorkItem
{
    private readonly Lock _lock = new();
    private readonly Queue<(PartitionState Partition, LogRecord Record, long StartedMs)> _records = new();
    private JobRunner? _runner;
    private int _count;  // records waiting, readable without the lock
    private int _queued; // 1 while a work item of this queue is queued and not yet running

    /// <summary>True when no record waits.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Parks a record whose worker found every running slot taken or its type paused, then starts what the slots allow.</summary>
    public void Park(JobRunner runner, PartitionState partition, LogRecord record, long startedMs)
    {
        Enqueue(runner, partition, record, startedMs);
        StartWhileRoom();
    }

    /// <summary>
    /// Queues a record the consumer thread takes for a budget whose jobs start in order (<see cref="Budget.StartsInOrder"/>),
    /// and a work item to start it: never started on the consumer thread itself.
    /// </summary>
    public void Add(JobRunner runner, PartitionState partition, LogRecord record, long startedMs)
    {
        Enqueue(runner, partition, record, startedMs);
        if (budget.HasFreeSlot)
        {
            Schedule(); // else the job holding the slot starts it when it gives the slot back (Budget.Exit)
        }
    }

    /// <summary>Queues a work item that starts waiting records, unless one is queued already.</summary>
    public void Schedule()
    {
        if (Interlocked.CompareExchange(ref _queued, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Starts waiting records while slots are free (thread pool).</summary>
    public void Execute()
    {
        Volatile.Write(ref _queued, 0);
        using var batch = CompletionQueue.Batch(); // the consumer thread is woken once for the jobs that finish in this run
        StartWhileRoom();
    }

    /// <summary>
    /// Gives back, without starting them, the waiting records of partitions being let go
    /// (<see cref="PartitionState.Releasing"/>): their offsets stay uncommitted.
    /// </summary>
    public void GiveBack()
    {
        List<(PartitionState Partition, LogRecord Record, long StartedMs)>? released = null;
        lock (_lock)
        {
            for (var i = _records.Count; i > 0; i--)
            {
                var waiting = _records.Dequeue();
                if (waiting.Partition.Releasing)
                {
                    (released ??= []).Add(waiting);
                    Interlocked.Decrement(ref _count);
                }
                else
                {
                    _records.Enqueue(waiting);
                }
            }
        }
        foreach (var (partition, record, startedMs) in released ?? [])
        {
            _runner!.GiveBack(partition, record, startedMs);
        }
    }

    private void Enqueue(JobRunner runner, PartitionState partition, LogRecord record, long startedMs)
    {
        lock (_lock)
        {
            _runner ??= runner;
            _records.Enqueue((partition, record, startedMs));
            Interlocked.Increment(ref _count);
        }
    }

    private void StartWhileRoom()
    {
        while (true)
        {
            (PartitionState Partition, LogRecord Record, long StartedMs) next;
            bool more;
            lock (_lock)
            {
                if (_records.Count == 0 || _records.Peek().Partition.Route.Type.IsPausedByAnyone || !budget.TryEnter())
                {
                    return; // a paused type's records wait for its resume (PartitionTable.ApplyPauses schedules them)
                }
                next = _records.Dequeue();
                Interlocked.Decrement(ref _count);
                more = _records.Count > 0;
            }
            if (more)
            {
                Schedule(); // someone to start the next record should this one block its thread
            }
            if (next.Partition.Releasing)
            {
                budget.Exit();
                _runner!.GiveBack(next.Partition, next.Record, next.StartedMs);
                continue;
            }
            _runner!.RunInSlot(next.Partition, next.Record, next.StartedMs);
        }
    }
}
