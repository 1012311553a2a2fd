namespace Courier.Bench;

/// <summary>A consumed record on its way through the parse-and-dispatch baseline's channel.</summary>
/// <param name="Value">The record's value (the JSON job event).</param>
/// <param name="Partition">Its partition.</param>
/// <param name="Offset">Its offset.</param>
internal readonly record struct PeerRecord(byte[] Value, int Partition, long Offset);
