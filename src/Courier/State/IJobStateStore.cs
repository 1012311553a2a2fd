namespace Courier.State;

/// <summary>
/// Shared, expiring key-value state for the dispatcher's scheduling semantics (deduplication, root-job supersession,
/// recurring-job ticks, cancellations, rate limits): one store per deployment, shared by every dispatcher that uses it.
/// Two implementations: the embedded one (a SQLite file in the data directory, bounded, for one dispatcher host)
/// and Redis (for many dispatchers). Every operation is atomic on its key.
/// </summary>
/// <remarks>
/// A store that cannot be reached throws <see cref="JobStateStoreException"/>; callers fail open (the job runs, the
/// failure is counted and logged) rather than stall the dispatcher. Keys are plain strings; the store adds its own
/// prefix. A <c>ttl</c> must be positive; an expired key reads as absent.
/// </remarks>
public interface IJobStateStore : IAsyncDisposable
{
    /// <summary>Which store this is (<c>embedded</c> or <c>redis</c>), for logs, metrics and stats.</summary>
    string Name { get; }

    /// <summary>
    /// Keys this store dropped before they expired to stay within its size bound, since it was opened (exported as
    /// <c>courier.state.dropped_keys</c>). 0 for a store that never drops a key itself; Redis evicts by its own
    /// memory policy, which its own metrics report.
    /// </summary>
    long DroppedKeys => 0;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> only if it is absent (or expired); true when it did.</summary>
    ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or expired.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, replacing any value, expiring after <paramref name="ttl"/>.</summary>
    ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="key"/>; with <paramref name="onlyIfValue"/>, only while it still holds that value (a
    /// claim given back by its owner). True when a key was removed.
    /// </summary>
    ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps the largest of the stored number and <paramref name="value"/> under <paramref name="key"/> (the newest root
    /// job's time), expiring after <paramref name="ttl"/> from this call; returns the number stored before, or null when
    /// there was none.
    /// </summary>
    ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="by"/> to the number under <paramref name="key"/> (0 when absent) and returns the sum; a key
    /// this call creates expires after <paramref name="ttl"/>, an existing one keeps its expiry (a fixed rate window).
    /// </summary>
    ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default);
}
