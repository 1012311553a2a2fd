using Courier.State;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// Whether any cancellation recorded in the state store may still be live, from its <see cref="CancelStore.LatestKey"/>
/// read at most once per <see cref="RefreshInterval"/> on the dispatcher's clock (lazily, by the first check that finds
/// the cached answer stale; the checks arriving meanwhile wait for the same read). While it says none is, the
/// cancellation check asks the store nothing per job.
/// </summary>
/// <remarks>
/// The price is latency: a cancellation recorded only in the store (by a dispatcher host whose control record this one
/// has not read) takes effect here within about <see cref="RefreshInterval"/>. A cancellation this dispatcher records or
/// reads from the control topic counts at once (<see cref="Raise"/>), and is in its in-memory book anyway.
/// </remarks>
internal sealed class LiveCancellations(IJobStateStore store, TimeProvider time, Action<JobStateStoreException> failed)
{
    /// <summary>How long a read of the latest key is trusted.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private long _liveUntilMs;
    private long _raisedUntilMs;
    private long _nextReadMs = long.MinValue;
    private TaskCompletionSource? _reading;

    /// <summary>True when a cancellation in the store may be live now: the caller then asks for the job's own key.</summary>
    public async ValueTask<bool> AnyLiveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        TaskCompletionSource reading;
        bool reader;
        lock (_gate)
        {
            if (now < _nextReadMs)
            {
                return _liveUntilMs > now;
            }
            reader = _reading is null;
            reading = _reading ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (reader)
        {
            await ReadAsync(now, reading, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await reading.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        lock (_gate)
        {
            return _liveUntilMs > now;
        }
    }

    /// <summary>Counts a cancellation live until <paramref name="until"/> at once (one recorded or read here).</summary>
    public void Raise(DateTimeOffset until)
    {
        var ms = until.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            _raisedUntilMs = Math.Max(_raisedUntilMs, ms);
            _liveUntilMs = Math.Max(_liveUntilMs, ms);
        }
    }

    private async Task ReadAsync(long now, TaskCompletionSource reading, CancellationToken cancellationToken)
    {
        long liveUntil;
        try
        {
            liveUntil = long.TryParse(await store.GetAsync(CancelStore.LatestKey, cancellationToken).ConfigureAwait(false), out var ms) ? ms : 0;
        }
        catch (JobStateStoreException e)
        {
            // Unknown: ask for each job's key as before this key existed (each of those asks fails open on its own).
            failed(e);
            liveUntil = long.MaxValue;
        }
#pragma warning disable CA1031 // Shutdown (the check's token, a store disposed with the dispatcher): unknown, asked again next time.
        catch (Exception)
#pragma warning restore CA1031
        {
            liveUntil = long.MaxValue;
            now = long.MinValue;
        }
        lock (_gate)
        {
            // What this dispatcher raised is kept (its store write may have failed, or be on its way).
            _liveUntilMs = Math.Max(liveUntil, _raisedUntilMs);
            _nextReadMs = now == long.MinValue ? long.MinValue : now + (long)RefreshInterval.TotalMilliseconds;
            _reading = null;
        }
        reading.TrySetResult();
    }
}
