namespace Courier.Bench.Dedup;

/// <summary>
/// The dedup section's jobs: no-op jobs enqueued with <c>Deduplicate</c> (so each carries the <c>sha1</c> of its type
/// and params), of which one in ten repeats the params of a job <see cref="Distance"/> positions earlier: the same
/// work, hence the same <c>sha1</c> and the same wiki (so the same partition and dedupe key).
/// </summary>
/// <remarks>
/// The repeat is far behind its original on purpose. A duplicate read while its original still runs waits a retry
/// delay (a minute by default) before it is checked again; with all jobs enqueued before the dispatcher starts, every
/// duplicate was created before its original ran, so once the original is done it is deduplicated at once. The
/// distance is not a multiple of 10, so an original is never itself a duplicate.
/// </remarks>
internal static class DedupWorkload
{
    /// <summary>Positions between a duplicate and the job whose work it repeats (about 1,000 records of its partition back).</summary>
    public const int Distance = 4096;

    private const int Wikis = 16;

    /// <summary>The work job <paramref name="sequence"/> does: its own number, or for a duplicate its original's.</summary>
    public static long WorkOf(long sequence) => IsDuplicate(sequence) ? sequence - Distance : sequence;

    /// <summary>Whether job <paramref name="sequence"/> repeats an earlier job's work.</summary>
    public static bool IsDuplicate(long sequence) => sequence % 10 == 9 && sequence >= Distance;

    /// <summary>Duplicates among jobs 0…<paramref name="jobs"/>−1.</summary>
    public static long Duplicates(int jobs) => Enumerable.Range(0, jobs).LongCount(i => IsDuplicate(i));

    /// <summary>Job <paramref name="sequence"/> of <paramref name="jobType"/>.</summary>
    public static JobRequest Request(string jobType, long sequence)
    {
        var work = WorkOf(sequence);
        return new JobRequest
        {
            Type = jobType,
            Database = $"wiki{work % Wikis}",
            // No enqueue timestamp: identical work must have identical params.
            Params = new NoopParams(work, 0),
            Deduplicate = true,
        };
    }
}
