namespace Courier;

/// <summary>The lowest offset still stored and the offset the next record will get.</summary>
public readonly record struct PartitionWatermarks(long Low, long High);
