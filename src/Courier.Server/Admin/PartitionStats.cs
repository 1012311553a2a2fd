namespace Courier.Server.Admin;

/// <summary>Offsets of one partition, and the dispatcher group's progress through it.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Low">Lowest offset still stored.</param>
/// <param name="High">Offset the next record will get.</param>
/// <param name="Committed">The group's committed offset (next to read); null when it has committed nothing.</param>
/// <param name="Backlog">Records the group has not completed (its consumer lag); null for topics the dispatcher does not consume.</param>
/// <param name="OldestUnprocessed">When the first record the group has not completed was appended; null when there is none.</param>
internal sealed record PartitionStats(int Partition, long Low, long High, long? Committed, long? Backlog, DateTimeOffset? OldestUnprocessed = null);
