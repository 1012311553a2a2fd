namespace Courier.Dispatching.Limiting;

/// <summary>
/// A job type's start rate (<see cref="RateLimit.PerSecond"/>), asked by the consumer thread before it starts one of the
/// type's records. It never blocks that thread: without a store it counts in this process; with one, each start first
/// takes a grant from the shared window <c>rate:&lt;type&gt;:&lt;second&gt;</c>, asked in the background while the record
/// waits (woken when the answer comes), so the dispatchers sharing the store together start at most the limit.
/// </summary>
/// <remarks>A grant the window has moved past by the time it arrives is dropped: the shared count errs on the slow side.</remarks>
internal sealed class TypeRateLimiter(string type, int perSecond, SharedRateCounter? shared, Action wake)
{
    private readonly RateWindow _local = new(perSecond);
    private readonly Lock _gate = new();
    private long _grantSecond = long.MinValue;
    private int _grants;
    private bool _asking;

    /// <summary>
    /// Counts a start at <paramref name="nowMs"/> and returns null when the record may start; otherwise the unix
    /// milliseconds at which to ask again: the next window, or 0 while a shared grant is being asked for.
    /// </summary>
    public long? TryStart(long nowMs)
    {
        var second = RateWindow.SecondOf(nowMs);
        var nextWindow = (second + 1) * 1000;
        if (_local.IsFull(second))
        {
            return nextWindow;
        }
        if (shared is null)
        {
            return _local.TryTake(second) ? null : nextWindow;
        }
        lock (_gate)
        {
            if (_grantSecond == second && _grants > 0)
            {
                _grants--;
                _local.TryTake(second);
                return null;
            }
            if (!_asking)
            {
                _asking = true;
                _ = AskAsync(shared, second);
            }
            return 0;
        }
    }

    private async Task AskAsync(SharedRateCounter counter, long second)
    {
        long? total = null;
        try
        {
            total = await counter.CountAsync($"rate:{type}:{second}", CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Store errors are counted by the counter; anything else (a store disposed at shutdown) fails open too.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            lock (_gate)
            {
                _asking = false;
                if (total is { } sum && sum > perSecond)
                {
                    _local.Fill(second); // full across the dispatchers: wait for the next window
                }
                else
                {
                    // Granted (or the store failed: fail open).
                    if (_grantSecond != second)
                    {
                        _grantSecond = second;
                        _grants = 0;
                    }
                    _grants++;
                }
            }
            wake();
        }
    }
}
