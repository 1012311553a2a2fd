namespace Courier.Sqlite.Records;

/// <summary>Maps a record key to a partition with a hash that is stable across processes, runs and versions.</summary>
internal static class KeyPartitioner
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>32-bit FNV-1a of the key's UTF-8 bytes. string.GetHashCode is randomised per process, so it cannot be used.</summary>
    public static uint Hash(ReadOnlySpan<byte> keyUtf8)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in keyUtf8)
        {
            hash ^= b;
            hash *= FnvPrime;
        }
        return hash;
    }

    public static int Partition(ReadOnlySpan<byte> keyUtf8, int partitions) => (int)(Hash(keyUtf8) % (uint)partitions);
}
