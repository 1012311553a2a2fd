namespace Courier.Testing;

/// <summary>
/// The system clock plus an offset a test moves forward at once (<see cref="Jump"/>): everything that waits on the
/// clock runs in real time, and a long wait (a breaker's open period) ends exactly when the test says, never by
/// itself. Timers fire on the system's timers at the clock's time.
/// </summary>
public sealed class JumpClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<JumpTimer> _timers = [];
    private long _offsetTicks;

    /// <summary>How far the clock has been moved ahead of the system clock.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <inheritdoc />
    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(Offset.Ticks * (double)System.TimestampFrequency / TimeSpan.TicksPerSecond);

    /// <inheritdoc />
    public override long TimestampFrequency => System.TimestampFrequency;

    /// <summary>Moves the clock <paramref name="by"/> ahead; timers that became due fire.</summary>
    public void Jump(TimeSpan by)
    {
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        JumpTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }
        foreach (var timer in timers)
        {
            timer.Reschedule();
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new JumpTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    private void Forget(JumpTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A timer due at a time of its clock, not after a span of real time.</summary>
    private sealed class JumpTimer : ITimer
    {
        private readonly JumpClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly Timer _inner;
        private readonly Lock _lock = new();
        private DateTimeOffset? _due;
        private TimeSpan _period;

        public JumpTimer(JumpClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _inner = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                _period = period;
            }
            Reschedule();
            return true;
        }

        public void Reschedule()
        {
            lock (_lock)
            {
                if (_due is not { } due)
                {
                    _inner.Change(Timeout.Infinite, Timeout.Infinite);
                    return;
                }
                var wait = due - _clock.GetUtcNow();
                _inner.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            _clock.Forget(this);
            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Fire()
        {
            lock (_lock)
            {
                if (_due is not { } due || due > _clock.GetUtcNow())
                {
                    Reschedule(); // woke early (the inner timer's rounding): wait the rest
                    return;
                }
                _due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : _clock.GetUtcNow() + _period;
            }
            Reschedule();
            _callback(_state);
        }
    }
}
