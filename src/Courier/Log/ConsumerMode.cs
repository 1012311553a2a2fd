namespace Courier.Log;

/// <summary>How a consumer reads: not yet, as a group member (<see cref="IJobLogConsumer.Subscribe"/>), or from given partitions (<see cref="IJobLogConsumer.Assign"/>).</summary>
internal enum ConsumerMode
{
    None,
    Subscribed,
    Assigned,
}
