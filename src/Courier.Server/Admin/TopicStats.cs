namespace Courier.Server.Admin;

/// <summary>One topic's partitions.</summary>
/// <param name="Name">The topic.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="JobType">The job type, for job and retry topics.</param>
/// <param name="Partitions">Its partitions.</param>
internal sealed record TopicStats(string Name, TopicKind Kind, string? JobType, IReadOnlyList<PartitionStats> Partitions)
{
    /// <summary>Records stored (high minus low watermark, over all partitions).</summary>
    public long Records => Partitions.Sum(p => p.High - p.Low);

    /// <summary>The group's backlog over all partitions; null when the dispatcher does not consume the topic.</summary>
    public long? Backlog => Kind.IsConsumed() ? Partitions.Sum(p => p.Backlog ?? 0) : null;

    /// <summary>When the oldest record the group has not completed was appended, over all partitions.</summary>
    public DateTimeOffset? OldestUnprocessed => Partitions.Select(p => p.OldestUnprocessed).Where(t => t is not null).Min();
}
