namespace Courier.Server.Admin.Index;

/// <summary>A replay of the dead letter at a partition and offset of the error topic, as the index records it.</summary>
/// <param name="Partition">The dead letter's partition.</param>
/// <param name="Offset">The dead letter's offset.</param>
/// <param name="ReplayedTo">The copy's position when known (replayed through this index), else the target topic (from the ledger).</param>
/// <param name="AtMs">When, in Unix milliseconds, if known.</param>
internal sealed record IndexedReplay(int Partition, long Offset, string ReplayedTo, long? AtMs);
