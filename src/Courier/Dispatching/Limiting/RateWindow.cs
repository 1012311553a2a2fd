namespace Courier.Dispatching.Limiting;

/// <summary>A fixed one-second window counting starts against a limit, in this process. Thread-safe.</summary>
internal sealed class RateWindow(int limit)
{
    private readonly Lock _gate = new();
    private long _second = long.MinValue;
    private int _count;

    /// <summary>The unix second of <paramref name="nowMs"/> (its window).</summary>
    public static long SecondOf(long nowMs) => Math.DivRem(nowMs, 1000, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>Counts a start in <paramref name="second"/>'s window; false (nothing counted) when the window is full.</summary>
    public bool TryTake(long second)
    {
        lock (_gate)
        {
            if (second != _second)
            {
                _second = second;
                _count = 0;
            }
            if (_count >= limit)
            {
                return false;
            }
            _count++;
            return true;
        }
    }

    /// <summary>Uncounts a start of <paramref name="second"/>'s window (one that ran nothing); nothing once the window moved on.</summary>
    public void GiveBack(long second)
    {
        lock (_gate)
        {
            if (second == _second && _count > 0)
            {
                _count--;
            }
        }
    }

    /// <summary>True when <paramref name="second"/>'s window is the current one and full.</summary>
    public bool IsFull(long second)
    {
        lock (_gate)
        {
            return second == _second && _count >= limit;
        }
    }

    /// <summary>Marks <paramref name="second"/>'s window full (the shared count says so).</summary>
    public void Fill(long second)
    {
        lock (_gate)
        {
            if (second >= _second)
            {
                _second = second;
                _count = limit;
            }
        }
    }
}
