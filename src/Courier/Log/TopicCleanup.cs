namespace Courier;

/// <summary>What an engine that removes old records does with a topic's old records (Kafka's <c>cleanup.policy</c>).</summary>
public enum TopicCleanup
{
    /// <summary>Old records are deleted by age or size (the engine's default retention).</summary>
    Delete,

    /// <summary>
    /// Each key's latest record is kept and older ones with the same key may be removed (Kafka:
    /// <c>cleanup.policy=compact</c>): for topics read as a table by key, such as the outcome ledger.
    /// </summary>
    Compact,
}
