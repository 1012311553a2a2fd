namespace Courier;

/// <summary>Kafka protocol request types (API keys), for <see cref="KafkaDevCluster.PushRequestErrors"/>.</summary>
public static class KafkaApiKeys
{
    /// <summary>Produce: appends records.</summary>
    public const short Produce = 0;

    /// <summary>Fetch: reads records.</summary>
    public const short Fetch = 1;

    /// <summary>ListOffsets: watermarks and offset lookups.</summary>
    public const short ListOffsets = 2;

    /// <summary>Metadata: brokers, topics, partition leaders.</summary>
    public const short Metadata = 3;

    /// <summary>OffsetCommit: a consumer group commits offsets.</summary>
    public const short OffsetCommit = 8;

    /// <summary>OffsetFetch: reads a group's committed offsets.</summary>
    public const short OffsetFetch = 9;

    /// <summary>FindCoordinator: locates a group's coordinator.</summary>
    public const short FindCoordinator = 10;

    /// <summary>JoinGroup: a member joins a consumer group.</summary>
    public const short JoinGroup = 11;

    /// <summary>Heartbeat: a member stays in its group.</summary>
    public const short Heartbeat = 12;

    /// <summary>SyncGroup: members receive their assignment.</summary>
    public const short SyncGroup = 14;

    /// <summary>InitProducerId: an idempotent producer obtains its id.</summary>
    public const short InitProducerId = 22;
}
