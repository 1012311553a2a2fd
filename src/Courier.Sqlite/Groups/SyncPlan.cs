namespace Courier.Sqlite.Groups;

/// <summary>What one group sync decided, applied after its transaction commits.</summary>
internal sealed class SyncPlan
{
    public bool Fenced { get; set; }

    public bool Changed { get; set; }

    /// <summary>Members removed because their heartbeat is older than the session timeout.</summary>
    public List<string> Expired { get; } = [];

    /// <summary>Members removed because their process on this host is gone, with the pid it had.</summary>
    public List<(string MemberId, long Pid)> Exited { get; } = [];

    public List<TopicPartition> Acquired { get; } = [];

    public Dictionary<TopicPartition, long> StartOffsets { get; } = [];

    public List<TopicPartition> Release { get; } = [];

    public long Generation { get; set; }

    public (long Count, long Partitions) Topics { get; set; }
}
