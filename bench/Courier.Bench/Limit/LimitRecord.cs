namespace Courier.Bench.Limit;

/// <summary>
/// One job record as Courier's embedded log stores it: its partition and the key, header and value bytes of its row,
/// read back from a file Courier wrote, so the physical-limit run appends exactly the bytes Courier appended.
/// </summary>
/// <param name="Partition">The partition Courier's writer chose (by the key's hash).</param>
/// <param name="Key">The key column (the job's database, UTF-8).</param>
/// <param name="Headers">The headers column, as Courier encoded them.</param>
/// <param name="Value">The value column: the encoded job event.</param>
internal sealed record LimitRecord(int Partition, byte[]? Key, byte[]? Headers, byte[] Value)
{
    /// <summary>Bytes of the three blob columns.</summary>
    public int Bytes => (Key?.Length ?? 0) + (Headers?.Length ?? 0) + Value.Length;
}
