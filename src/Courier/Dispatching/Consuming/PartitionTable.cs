using Courier.Dispatching.Execution;
using Courier.Dispatching.Routing;
using static Courier.Dispatching.Outcomes.RecordHeaders;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// The partitions the consumer holds, and the records parked on them: taken but not started because the head's
/// retry is not due yet or the budget is full. Owned by the consumer thread.
/// </summary>
internal sealed class PartitionTable
{
    /// <summary>Most records held per partition before it is paused: bounds memory while keeping a type's
    /// budget busy without a pause/resume (and a discarded read-ahead) for every freed slot.</summary>
    private const int HoldLimit = 64;

    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly List<PartitionState> _parked = [];
    private readonly TimeProvider _time;

    public PartitionTable(TimeProvider time) => _time = time;

    /// <summary>Every partition held.</summary>
    public Dictionary<TopicPartition, PartitionState>.ValueCollection All => _partitions.Values;

    /// <summary>Partitions with records parked, in the order they parked.</summary>
    public List<PartitionState> Parked => _parked;

    public bool TryGet(TopicPartition key, out PartitionState partition) => _partitions.TryGetValue(key, out partition!);

    /// <summary>Starts holding a partition, on its first record.</summary>
    public PartitionState Add(TopicPartition key, TopicRoute route)
    {
        var partition = new PartitionState(key, route);
        _partitions[key] = partition;
        return partition;
    }

    /// <summary>Lets a partition go (revoked): late completions of its jobs are dropped from now on.</summary>
    public void Remove(PartitionState partition)
    {
        partition.Owned = false;
        _partitions.Remove(partition.Partition);
    }

    /// <summary>
    /// Marks partitions as being let go: their records handed to the workers but waiting for a running slot are given
    /// back instead of run, now and from now on (<see cref="SlotWaiters"/>).
    /// </summary>
    public static void Release(IEnumerable<PartitionState> partitions)
    {
        foreach (var partition in partitions)
        {
            partition.Releasing = true;
        }
        foreach (var partition in partitions)
        {
            partition.Budget.Waiting.GiveBack();
        }
    }

    /// <summary>Lets every partition go, giving parked records back (the consumer is replaced).</summary>
    public void Clear()
    {
        Release(_partitions.Values);
        foreach (var partition in _partitions.Values)
        {
            ReturnHeld(partition);
            partition.Owned = false;
        }
        _partitions.Clear();
        _parked.Clear();
    }

    /// <summary>Gives every parked record back (stopping): never started, it is read again after a restart.</summary>
    public void ReturnParked()
    {
        foreach (var partition in _parked)
        {
            ReturnHeld(partition);
        }
        _parked.Clear();
    }

    /// <summary>Gives a partition's parked records back (revoked), so the next owner reads them.</summary>
    public void Unpark(PartitionState partition)
    {
        if (partition.Held.Count > 0)
        {
            ReturnHeld(partition);
            _parked.Remove(partition);
        }
    }

    /// <summary>
    /// Parks a record behind the partition's others (<paramref name="forRate"/>: its type's rate window is full until
    /// <paramref name="dueMs"/>); pauses the partition behind a retry not yet due or a full hold.
    /// </summary>
    public void Hold(IJobLogConsumer consumer, PartitionState partition, LogRecord record, long dueMs, bool forRate = false)
    {
        if (partition.Held.Count == 0)
        {
            partition.HeldDueMs = dueMs;
            partition.HeldForRate = forRate;
            _parked.Add(partition);
        }
        partition.Held.Enqueue(record);
        // Behind a retry that is not due nothing else can run in order, so stop fetching at once; likewise for a
        // record of a paused type (taken before the pause reached its partition, or on a partition just assigned).
        if (!partition.Paused && (dueMs > 0 || partition.Held.Count >= HoldLimit || partition.Route.Type.IsPaused))
        {
            partition.Paused = true;
            consumer.Pause([partition.Partition]);
        }
    }

    /// <summary>Starts parked records that are due and have budget; resumes partitions whose hold emptied.</summary>
    public void ReleaseParked(IJobLogConsumer consumer, JobRunner runner)
    {
        if (_parked.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < _parked.Count; i++)
        {
            var partition = _parked[i];
            if (partition.Route.Type.IsPaused)
            {
                continue;
            }
            var held = partition.Held;
            while (held.Count > 0)
            {
                if (partition.HeldDueMs > now && !(partition.HeldForRate && partition.Route.Type.Rate?.HasRoom(now) == true))
                {
                    break; // not due, or its type's rate window is still full
                }
                if (!partition.Budget.HasRoom || partition.Route.Type.IsPaused)
                {
                    break; // full, or the type's start allowance spent by the records before this one
                }
                if (RateDelay(partition, now) is { } rateDue)
                {
                    partition.HeldDueMs = rateDue;
                    partition.HeldForRate = true;
                    break; // the type's rate window is full (or its shared grant is on its way)
                }
                runner.Start(partition, held.Dequeue(), now);
                partition.HeldDueMs = partition.Route.IsRetry && held.TryPeek(out var next) ? ReadLong(next, CourierHeaders.DueAt) ?? 0 : 0;
                partition.HeldForRate = false;
            }
            if (held.Count == 0)
            {
                _parked.RemoveAt(i--);
                if (partition.Paused)
                {
                    partition.Paused = false;
                    consumer.Resume([partition.Partition]);
                }
            }
        }
    }

    /// <summary>
    /// Null when the type's rate limit lets a record of <paramref name="partition"/> start now (the start is counted);
    /// otherwise when to look again in unix milliseconds (0: as soon as the consumer is woken). The partitioner's
    /// forwarding hop runs no job and is never limited.
    /// </summary>
    public static long? RateDelay(PartitionState partition, long nowMs) =>
        partition.Route.Kind == RouteKind.Partitioner ? null : partition.Route.Type.Rate?.TryStart(nowMs);

    /// <summary>
    /// Brings every partition in line with its type's pause: a paused type's partitions are paused on the consumer;
    /// a resumed type's are resumed unless a reason of their own holds (records parked behind a retry not due or a
    /// full budget: <see cref="ReleaseParked"/> resumes those when their hold empties), and the records its workers
    /// parked during the pause are started.
    /// </summary>
    public void ApplyPauses(IJobLogConsumer consumer)
    {
        foreach (var partition in _partitions.Values)
        {
            if (partition.Route.Type.IsPaused)
            {
                if (!partition.Paused)
                {
                    partition.Paused = true;
                    consumer.Pause([partition.Partition]);
                }
            }
            else if (partition.Paused && partition.Held.Count == 0)
            {
                partition.Paused = false;
                consumer.Resume([partition.Partition]);
            }
            if (!partition.Route.Type.IsPausedByAnyone && !partition.Budget.Waiting.IsEmpty)
            {
                partition.Budget.Waiting.Schedule(); // records handed to the workers during a pause start now
            }
        }
    }

    /// <summary>Gives held records back (never started) so they are read again: by this consumer or the next owner.</summary>
    private static void ReturnHeld(PartitionState partition)
    {
        foreach (var record in partition.Held.Reverse())
        {
            partition.Tracker.RemoveLast(record.Offset);
        }
        partition.Held.Clear();
        partition.HeldDueMs = 0;
        partition.HeldForRate = false;
    }
}
