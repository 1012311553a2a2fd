using Courier.Dispatching.Routing;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// The dispatcher's view of one assigned partition. Owned by the consumer thread; the workers read <see cref="Route"/>,
/// <see cref="Budget"/> and <see cref="Releasing"/>.
/// </summary>
internal sealed class PartitionState(TopicPartition partition, TopicRoute route)
{
    public TopicPartition Partition { get; } = partition;
    public TopicRoute Route { get; } = route;

    /// <summary>The budget jobs of this partition draw from: the type's, or this partition's own on a partitioned topic.</summary>
    public Budget Budget { get; } = route.Kind == RouteKind.Partitioned ? Budget.For(route.Type.Rule) : route.Type.Budget;
    public OffsetTracker Tracker { get; } = new();

    /// <summary>
    /// Records taken but not started, in offset order: the head's retry is not due yet, or the type's budget is
    /// full. Bounded: the partition is paused when the hold is full (or at once behind a retry that is not due).
    /// </summary>
    public Queue<LogRecord> Held { get; } = new();

    /// <summary>When the head of <see cref="Held"/> is due (Unix ms); 0 when it only waits for budget.</summary>
    public long HeldDueMs { get; set; }

    /// <summary>
    /// True when the head of <see cref="Held"/> waits for its type's rate window (<see cref="HeldDueMs"/> is the next
    /// window): a start given back reopens the current one sooner.
    /// </summary>
    public bool HeldForRate { get; set; }

    /// <summary>True while the consumer has this partition paused.</summary>
    public bool Paused { get; set; }

    /// <summary>The last offset committed synchronously (on revoke or shutdown); -1 before the first.</summary>
    public long LastCommitted { get; set; } = -1;

    /// <summary>The last offset handed to the log, stored or committed; -1 before the first.</summary>
    public long LastStored { get; set; } = -1;

    /// <summary>False once revoked: late completions of its jobs are then dropped (the new owner redelivers them).</summary>
    public bool Owned { get; set; } = true;

    /// <summary>
    /// True once the partition is being let go (revoked, the consumer replaced, or the dispatcher stopping): its
    /// records handed over but not started are given back instead of run (<see cref="Execution.SlotWaiters"/>).
    /// </summary>
    public bool Releasing
    {
        get => Volatile.Read(ref _releasing);
        set => Volatile.Write(ref _releasing, value);
    }

    private bool _releasing;

    /// <summary>Jobs of this partition started and not yet drained back (<see cref="CompletionQueue"/>); consumer thread.</summary>
    public int InFlight { get; set; }
}
