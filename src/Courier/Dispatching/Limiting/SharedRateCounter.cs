using Courier.Dispatching.Monitoring;
using Courier.State;

namespace Courier.Dispatching.Limiting;

/// <summary>
/// The rate windows' counts in the shared state store (<c>rate:…:&lt;unix-second&gt;</c>, fixed windows with
/// <see cref="IJobStateStore.IncrementAsync"/>); fails open: a store error is counted and reads as "room".
/// </summary>
internal sealed class SharedRateCounter(IJobStateStore store, CourierTelemetry telemetry, Action<Exception, string> failed)
{
    /// <summary>How long a window's key outlives its second (for clock skew between dispatchers).</summary>
    private static readonly TimeSpan WindowTtl = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Counts one start in <paramref name="key"/>'s window and returns the window's total, or null when the store failed
    /// (the caller lets the job start).
    /// </summary>
    public ValueTask<long?> CountAsync(string key, CancellationToken cancellationToken) => AddAsync(key, 1, cancellationToken);

    /// <summary>
    /// Uncounts one start of <paramref name="key"/>'s window (it ran nothing, or was refused); null when the store failed
    /// (the window then stays one start fuller than it is: the count errs on the slow side).
    /// </summary>
    public ValueTask<long?> GiveBackAsync(string key, CancellationToken cancellationToken) => AddAsync(key, -1, cancellationToken);

    private async ValueTask<long?> AddAsync(string key, long by, CancellationToken cancellationToken)
    {
        try
        {
            return await store.IncrementAsync(key, by, WindowTtl, cancellationToken).ConfigureAwait(false);
        }
        catch (JobStateStoreException e)
        {
            DispatcherMetrics.CountStateError(telemetry, store.Name, "rate_limit");
            failed(e, key);
            return null;
        }
    }
}
