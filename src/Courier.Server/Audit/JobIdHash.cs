namespace Courier.Server.Audit;

/// <summary>
/// A 64-bit hash of a job id (FNV-1a over its UTF-16 code units), so the audit keeps a million ledger job ids in a
/// few tens of megabytes instead of a string each. Two ids among a million collide with a probability near 3e-8;
/// the audit uses the hash only to find candidates and, where a collision could hide a loss or invent a duplicate,
/// compares the ids themselves (see <see cref="LedgerAudit"/>).
/// </summary>
internal static class JobIdHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Of(string jobId)
    {
        var hash = Offset;
        foreach (var c in jobId)
        {
            hash = (hash ^ c) * Prime;
        }
        return hash;
    }
}
