namespace Courier.Server.Types;

/// <summary>
/// The last hour of every job type, sampled (by <see cref="TypeHistorySampler"/>, every <see cref="Interval"/>) into
/// fixed-size rings: per sample, the executions, the failed attempts and the successes since the previous sample, and
/// the lag read at it. A failed attempt is one that was retried, held (breaker or canary) or dead-lettered:
/// <c>Δretried + Δheld + Δdead_lettered</c> of <see cref="JobTypeStats"/>; backpressure waits and failures the rule
/// ignores are not failures here. Memory is bounded: <see cref="Capacity"/> samples of 4 doubles for at most
/// <see cref="MaxTypes"/> types (200 types × 360 samples ≈ 2.3 MB); types beyond that bound are not recorded.
/// Thread-safe.
/// </summary>
internal sealed class TypeHistory
{
    /// <summary>Seconds between samples by default.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>Samples kept by default: one hour at <see cref="DefaultInterval"/>.</summary>
    public const int DefaultCapacity = 360;

    /// <summary>Most types recorded (pattern rules can add types without end).</summary>
    public const int MaxTypes = 1000;

    /// <summary>The window of <see cref="Recent"/>'s rate.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    /// <summary>The window of <see cref="Recent"/>'s success ratio.</summary>
    public static readonly TimeSpan RatioWindow = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long[] _times;
    private readonly double[] _seconds;
    private readonly Dictionary<string, TypeSeries> _types = new(StringComparer.Ordinal);
    private int _next;
    private int _count;
    private DateTimeOffset? _lastAt;

    /// <summary>An empty history sampled every <paramref name="interval"/> (default 10 s), keeping <paramref name="capacity"/> samples.</summary>
    public TypeHistory(TimeProvider time, TimeSpan? interval = null, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Interval = interval ?? DefaultInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero);
        _time = time;
        Capacity = capacity;
        _times = new long[capacity];
        _seconds = new double[capacity];
    }

    /// <summary>The time between samples.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The samples kept; older ones are overwritten.</summary>
    public int Capacity { get; }

    /// <summary>Samples taken so far, up to <see cref="Capacity"/>.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Takes one sample at the clock's now from every type's counts (<paramref name="stats"/>, counts since the
    /// dispatcher started) and lag by type. A type first seen here counts from zero; a type missing from
    /// <paramref name="lag"/> keeps its previous sample's lag (the lag could not be read).
    /// </summary>
    public void Record(IEnumerable<JobTypeStats> stats, IReadOnlyDictionary<string, long>? lag)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var slot = _next;
            var previous = (slot - 1 + Capacity) % Capacity;
            _times[slot] = now.ToUnixTimeSeconds();
            _seconds[slot] = _lastAt is { } last ? Math.Max((now - last).TotalSeconds, 0.001) : Interval.TotalSeconds;
            foreach (var series in _types.Values)
            {
                series.Set(slot, 0, 0, 0, _count > 0 ? series.Lag[previous] : 0);
            }
            foreach (var type in stats)
            {
                if (!_types.TryGetValue(type.Type, out var series))
                {
                    if (_types.Count >= MaxTypes)
                    {
                        continue;
                    }
                    series = new TypeSeries(Capacity);
                    _types[type.Type] = series;
                }
                var counts = (type.Executions, type.Retried + type.Held + type.DeadLettered, type.Succeeded);
                var (executions, failures, succeeded) = series.Last;
                series.Set(slot, Delta(counts.Executions, executions), Delta(counts.Item2, failures), Delta(counts.Succeeded, succeeded),
                    lag is not null && lag.TryGetValue(type.Type, out var records) ? records : series.Lag[slot]);
                series.Last = counts;
            }
            _next = (slot + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
            _lastAt = now;
        }
    }

    /// <summary>
    /// The samples of <paramref name="type"/>, oldest first, or of every type added up when it is null; null for a type
    /// never recorded. Rates are per second of each sample's own interval.
    /// </summary>
    public TypeHistoryView? View(string? type)
    {
        lock (_gate)
        {
            IReadOnlyCollection<TypeSeries> series;
            if (type is null)
            {
                series = _types.Values;
            }
            else if (_types.TryGetValue(type, out var one))
            {
                series = [one];
            }
            else
            {
                return null;
            }
            var times = new long[_count];
            var throughput = new double[_count];
            var failures = new double[_count];
            var lag = new double[_count];
            for (var i = 0; i < _count; i++)
            {
                var slot = (_next - _count + i + Capacity) % Capacity;
                times[i] = _times[slot];
                foreach (var s in series)
                {
                    throughput[i] += s.Executions[slot] / _seconds[slot];
                    failures[i] += s.Failures[slot] / _seconds[slot];
                    lag[i] += s.Lag[slot];
                }
            }
            return new TypeHistoryView
            {
                Type = type,
                IntervalSeconds = Interval.TotalSeconds,
                Times = times,
                Throughput = throughput,
                Failures = failures,
                Lag = lag,
            };
        }
    }

    /// <summary>
    /// <paramref name="type"/>'s executions per second over the newest samples covering <see cref="RateWindow"/>, and
    /// successes / (successes + failed attempts) over those covering <see cref="RatioWindow"/> (null when neither
    /// happened). Zero and null before the first sample.
    /// </summary>
    public (double RatePerSecond, double? SuccessRatio) Recent(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            if (!_types.TryGetValue(type, out var series))
            {
                return (0, null);
            }
            var (executions, seconds) = Sum(series.Executions, RateWindow);
            var succeeded = Sum(series.Succeeded, RatioWindow).Total;
            var failed = Sum(series.Failures, RatioWindow).Total;
            return (seconds > 0 ? executions / seconds : 0, succeeded + failed > 0 ? succeeded / (succeeded + failed) : null);
        }
    }

    /// <summary>The newest samples' total of <paramref name="values"/> until they cover <paramref name="window"/>, and the seconds they cover.</summary>
    private (double Total, double Seconds) Sum(double[] values, TimeSpan window)
    {
        double total = 0, seconds = 0;
        for (var i = 0; i < _count && seconds < window.TotalSeconds - 0.001; i++)
        {
            var slot = (_next - 1 - i + Capacity) % Capacity;
            total += values[slot];
            seconds += _seconds[slot];
        }
        return (total, seconds);
    }

    private static double Delta(long now, long before) => Math.Max(0, now - before);
}
