namespace Courier.Log;

/// <summary>
/// How a consumer reads: not yet, as a group member (<see cref="IJobLogConsumer.Subscribe"/>), or from partitions it
/// was given (<see cref="IJobLogConsumer.Assign"/>). A consumer does one or the other, never both.
/// </summary>
public enum ConsumerMode
{
    /// <summary>Neither subscribed nor assigned yet.</summary>
    None,
    /// <summary>A group member: partitions come from the group.</summary>
    Subscribed,
    /// <summary>Reads the partitions it was assigned, without group membership.</summary>
    Assigned,
}
