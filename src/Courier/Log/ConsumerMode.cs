namespace Courier.Log;

/// <summary>
/// How a consumer reads: not yet, as a group member (<see cref="IJobLogConsumer.Subscribe"/>), or from partitions it
/// was given (<see cref="IJobLogConsumer.Assign"/>). A consumer does one or the other, never both.
/// </summary>
internal enum ConsumerMode
{
    None,
    Subscribed,
    Assigned,
}
