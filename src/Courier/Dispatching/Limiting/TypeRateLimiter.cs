namespace Courier.Dispatching.Limiting;

/// <summary>
/// A job type's start rate (<see cref="RateLimit.PerSecond"/>), asked by the consumer thread before it starts one of the
/// type's records. It never blocks that thread: without a store it counts in this process; with one, each start first
/// takes a grant from the shared window <c>rate:&lt;type&gt;:&lt;second&gt;</c>, asked in the background while the record
/// waits (woken when the answer comes), so the dispatchers sharing the store together start at most the limit.
/// </summary>
/// <remarks>
/// A grant the window has moved past by the time it arrives is dropped: the shared count errs on the slow side. A start
/// that then ran nothing (its job skipped by an admission check, or sent to wait) is given back (<see cref="GiveBack"/>),
/// and a refused ask uncounts itself, so a window's starts go to jobs that run. The original counted nothing back.
/// </remarks>
internal sealed class TypeRateLimiter(string type, int perSecond, SharedRateCounter? shared, Action wake)
{
    private readonly RateWindow _local = new(perSecond);
    private readonly Lock _gate = new();
    private long _grantSecond = long.MinValue;
    private int _grants;
    private bool _asking;
    private int _givenBack;

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
                _ = AskAsync(shared, second, _givenBack);
            }
            return 0;
        }
    }

    /// <summary>True when <paramref name="nowMs"/>'s window may have room (a start given back reopens a full one).</summary>
    public bool HasRoom(long nowMs) => !_local.IsFull(RateWindow.SecondOf(nowMs));

    /// <summary>
    /// Gives back the start counted at <paramref name="startedMs"/> for a record that ran nothing, if its window is still
    /// the current one at <paramref name="nowMs"/>; the consumer is woken to use it. The shared window is uncounted first
    /// (in the background; a store error leaves it counted), then the local one.
    /// </summary>
    public void GiveBack(long startedMs, long nowMs)
    {
        var second = RateWindow.SecondOf(startedMs);
        if (second != RateWindow.SecondOf(nowMs))
        {
            return; // the window it was counted in is over
        }
        if (shared is null)
        {
            Returned(second);
            return;
        }
        _ = GiveBackAsync(shared, second);
    }

    private async Task GiveBackAsync(SharedRateCounter counter, long second)
    {
        await UncountAsync(counter, second).ConfigureAwait(false);
        Returned(second);
    }

    private void Returned(long second)
    {
        lock (_gate)
        {
            _local.GiveBack(second);
            _givenBack++;
        }
        wake();
    }

    private async Task UncountAsync(SharedRateCounter counter, long second)
    {
        try
        {
            await counter.GiveBackAsync(Key(second), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Store errors are counted by the counter; anything else (a store disposed at shutdown) is moot.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private string Key(long second) => $"rate:{type}:{second}";

    private async Task AskAsync(SharedRateCounter counter, long second, int givenBackBefore)
    {
        long? total = null;
        try
        {
            total = await counter.CountAsync(Key(second), CancellationToken.None).ConfigureAwait(false);
            if (total > perSecond)
            {
                // Refused: it takes nothing, so a start given back in this window can be granted again.
                await UncountAsync(counter, second).ConfigureAwait(false);
            }
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
                    if (_givenBack == givenBackBefore)
                    {
                        _local.Fill(second); // full across the dispatchers: wait for the next window (or a start given back)
                    }
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
