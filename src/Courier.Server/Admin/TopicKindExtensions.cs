namespace Courier.Server.Admin;

/// <summary>What follows from a topic's kind.</summary>
internal static class TopicKindExtensions
{
    /// <summary>
    /// True for the topics the dispatcher group consumes — job topics, their retry tiers and partitioned copies — whose
    /// committed offsets and backlog mean something.
    /// </summary>
    public static bool IsConsumed(this TopicKind kind) => kind is TopicKind.Job or TopicKind.Retry or TopicKind.Partitioned;
}
