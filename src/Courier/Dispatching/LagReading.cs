namespace Courier;

/// <summary>One read of the consumer lag of every partition a dispatcher consumes, and when it completed.</summary>
/// <param name="Partitions">The lag per partition (<see cref="Dispatcher.ReadLagAsync"/>).</param>
/// <param name="At">When the read completed, on the dispatcher's clock.</param>
public sealed record LagReading(IReadOnlyList<PartitionLag> Partitions, DateTimeOffset At);
