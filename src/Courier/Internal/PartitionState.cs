namespace Courier.Internal;

/// <summary>The dispatcher's view of one assigned partition. Owned by the consumer thread, except <see cref="InFlight"/>.</summary>
internal sealed class PartitionState(TopicPartition partition, TopicRoute route)
{
    public TopicPartition Partition { get; } = partition;
    public TopicRoute Route { get; } = route;
    public OffsetTracker Tracker { get; } = new();

    /// <summary>A record taken but not started: its retry is not due yet, or its type's budget is full. The partition is paused meanwhile.</summary>
    public LogRecord? Parked { get; set; }

    /// <summary>When the parked record is due (Unix ms); 0 when it only waits for budget.</summary>
    public long ParkedDueMs { get; set; }

    public long LastCommitted { get; set; } = -1;

    /// <summary>False once revoked: late completions of its jobs are then dropped (the new owner redelivers them).</summary>
    public bool Owned { get; set; } = true;

    public int InFlight;
}
