namespace Courier.Dispatching.Routing;

/// <summary>A concurrency budget: a type's, or one partition's of a partitioned topic.</summary>
internal sealed class Budget(int limit)
{
    public int InFlight;

    public int Limit => limit;

    public bool HasRoom => Volatile.Read(ref InFlight) < limit;
}
