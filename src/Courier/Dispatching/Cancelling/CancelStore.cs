using Courier.State;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// How cancellations are kept in the state store: the key <c>cancel:&lt;id&gt;</c> (value <c>reason (by who)</c>) per
/// cancelled job, and the one key <c>cancel:latest</c>, the unix milliseconds until which the longest-lived
/// cancellation recorded in the store applies. A dispatcher reads <c>cancel:latest</c> about once a second
/// (<see cref="LiveCancellations"/>) and asks for a job's own key only while some cancellation is live, so the common
/// case (nothing cancelled) costs no store round trip per job.
/// </summary>
public static class CancelStore
{
    /// <summary>The state-store key prefix of cancellations (the store adds the deployment's prefix).</summary>
    public const string KeyPrefix = "cancel:";

    /// <summary>The key holding the unix milliseconds until which some cancellation in the store is live.</summary>
    public const string LatestKey = KeyPrefix + "latest";

    /// <summary>The state-store key of job <paramref name="jobId"/>'s cancellation.</summary>
    public static string Key(string jobId) => KeyPrefix + jobId;

    /// <summary>
    /// Records <paramref name="record"/> in <paramref name="store"/>: its own key, then <see cref="LatestKey"/> raised to
    /// its expiry, both expiring with it. Nothing is written once it has expired. Throws
    /// <see cref="JobStateStoreException"/> when the store cannot be reached (the caller fails open).
    /// </summary>
    /// <param name="store">The deployment's state store.</param>
    /// <param name="record">The cancellation.</param>
    /// <param name="time">The clock its remaining lifetime is measured on.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task RecordAsync(IJobStateStore store, CancelRecord record, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var ttl = record.Expires - now;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }
        await store.SetAsync(Key(record.Id), record.Because, ttl, cancellationToken).ConfigureAwait(false);
        // The job's key is written first: a reader that sees the latest key raised finds the job's key too.
        var until = record.Expires.ToUnixTimeMilliseconds();
        var before = await store.MaxAsync(LatestKey, until, ttl, cancellationToken).ConfigureAwait(false);
        if (before is { } longer && longer > until)
        {
            // MaxAsync kept the longer-lived value but gave the key this record's shorter expiry: give it back its own,
            // or the key would vanish while that cancellation is still live.
            var left = DateTimeOffset.FromUnixTimeMilliseconds(longer) - now;
            if (left > TimeSpan.Zero)
            {
                await store.MaxAsync(LatestKey, longer, left, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
