namespace Courier;

/// <summary>A record to append to the job log.</summary>
/// <param name="Topic">Target topic; created on first use if the engine auto-creates topics.</param>
/// <param name="Key">Partitioning key; records with the same key land in the same partition. Null spreads records.</param>
/// <param name="Value">The record's bytes.</param>
/// <param name="Headers">Optional headers.</param>
/// <param name="Partition">An explicit partition, overriding the key.</param>
public readonly record struct OutgoingRecord(
    string Topic,
    string? Key,
    ReadOnlyMemory<byte> Value,
    IReadOnlyList<LogHeader>? Headers = null,
    int? Partition = null);
