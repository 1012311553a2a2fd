using Courier.Dispatching.Consuming;

namespace Courier.Dispatching.Execution;

/// <summary>
/// Ready records handed to the thread pool as one work item instead of one each: the consumer thread adds what it
/// starts while records are ready and hands the batch over as soon as none is (<see cref="JobRunner.Flush"/>), so a
/// batch never waits to fill. Workers claim its records in offset order and run each until its first await.
/// </summary>
/// <remarks>
/// A handler that blocks its thread must not hold the records behind it (each had a work item of its own before):
/// whenever a worker claims a record and others are left, it makes sure one more work item for this batch is queued,
/// which claims the next record if this worker is still busy — so every unclaimed record always has a queued item to
/// run it, at the cost of about two work items per batch instead of one per job. Reused through a small pool once
/// its last work item has finished; nothing is allocated per job.
/// </remarks>
internal sealed class StartBatch : IThreadPoolWorkItem
{
    /// <summary>The most records in one batch.</summary>
    public const int Capacity = 32;

    private static readonly StartBatch?[] Free = new StartBatch?[16];

    private readonly PartitionState?[] _partitions = new PartitionState?[Capacity];
    private readonly LogRecord?[] _records = new LogRecord?[Capacity];
    private readonly long[] _startedMs = new long[Capacity];
    private JobRunner? _runner;
    private int _count;
    private int _next;      // the next record to claim
    private int _queued;    // 1 while a work item of this batch is queued and not yet running
    private int _items;     // work items queued or running; the last to finish returns the batch to the pool

    /// <summary>True when no more records fit.</summary>
    public bool IsFull => _count == Capacity;

    /// <summary>An empty batch for <paramref name="runner"/>, from the pool when one is free (consumer thread).</summary>
    public static StartBatch Rent(JobRunner runner)
    {
        StartBatch? batch = null;
        for (var i = 0; i < Free.Length && batch is null; i++)
        {
            batch = Interlocked.Exchange(ref Free[i], null);
        }
        batch ??= new StartBatch();
        batch._runner = runner;
        return batch;
    }

    /// <summary>Adds a record whose budget slot is taken already (consumer thread).</summary>
    public void Add(PartitionState partition, LogRecord record, long startedMs)
    {
        _partitions[_count] = partition;
        _records[_count] = record;
        _startedMs[_count] = startedMs;
        _count++;
    }

    /// <summary>Hands the batch to the thread pool (consumer thread, once).</summary>
    public void Queue()
    {
        _items = 1;
        _queued = 1;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Claims and starts records in order until none is left (thread pool), waking the consumer thread once at the end
    /// for the jobs that finished meanwhile (<see cref="CompletionQueue.Batch"/>).
    /// </summary>
    public void Execute()
    {
        using var batch = CompletionQueue.Batch();
        ClaimAndStart();
    }

    private void ClaimAndStart()
    {
        var runner = _runner!;
        var count = _count;
        Volatile.Write(ref _queued, 0);
        while (true)
        {
            var i = Interlocked.Increment(ref _next) - 1;
            if (i >= count)
            {
                break;
            }
            if (i + 1 < count && Interlocked.CompareExchange(ref _queued, 1, 0) == 0)
            {
                // Someone to take the next record should this one block its thread.
                Interlocked.Increment(ref _items);
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
            var (partition, record, startedMs) = (_partitions[i]!, _records[i]!, _startedMs[i]);
            _partitions[i] = null;
            _records[i] = null;
            runner.Run(partition, record, startedMs);
        }
        if (Interlocked.Decrement(ref _items) == 0)
        {
            Return();
        }
    }

    private void Return()
    {
        _count = 0;
        _next = 0;
        _runner = null;
        for (var i = 0; i < Free.Length; i++)
        {
            if (Interlocked.CompareExchange(ref Free[i], this, null) is null)
            {
                return;
            }
        }
    }
}
