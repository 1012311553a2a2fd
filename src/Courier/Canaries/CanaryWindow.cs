namespace Courier.Canaries;

/// <summary>
/// Attempts and failures of both sides of a canary, per job type and per interval, over the last intervals of the
/// judge: the one window both the gate and the judge read. Not thread-safe: its owner locks.
/// </summary>
internal sealed class CanaryWindow(TimeSpan interval, int intervals)
{
    /// <summary>The key of the counts of all job types together.</summary>
    public const string Overall = "*";

    /// <summary>Per job type (and <see cref="Overall"/>): per side (0 stable, 1 canary): per interval number: counts.</summary>
    private readonly Dictionary<string, Dictionary<long, (long Attempts, long Failures)>[]> _series = new(StringComparer.Ordinal);

    /// <summary>The job types seen in the window.</summary>
    public IEnumerable<string> Types => _series.Keys.Where(k => k != Overall);

    /// <summary>Counts one attempt at <paramref name="now"/>.</summary>
    public void Add(string type, bool canary, bool failed, DateTimeOffset now)
    {
        var at = IntervalOf(now);
        foreach (var key in (ReadOnlySpan<string>)[type, Overall])
        {
            if (!_series.TryGetValue(key, out var sides))
            {
                _series[key] = sides = [new(), new()];
            }
            var side = sides[canary ? 1 : 0];
            if (!side.TryGetValue(at, out var counts))
            {
                // A new interval: forget those that left the window (only then, not on every attempt).
                foreach (var old in side.Keys.Where(k => k <= at - intervals).ToList())
                {
                    side.Remove(old);
                }
            }
            side[at] = (counts.Attempts + 1, counts.Failures + (failed ? 1 : 0));
        }
    }

    /// <summary>Forgets everything (a new canary, or a reset).</summary>
    public void Clear() => _series.Clear();

    /// <summary>The totals of one side of <paramref name="type"/> in the window ending at <paramref name="now"/>.</summary>
    public CanarySide Totals(string type, bool canary, DateTimeOffset now)
    {
        long attempts = 0, failures = 0;
        foreach (var (_, counts) in InWindow(type, canary, now))
        {
            attempts += counts.Attempts;
            failures += counts.Failures;
        }
        return new CanarySide(attempts, failures);
    }

    /// <summary>The failure ratio of each interval of the window in which the side of <paramref name="type"/> ran something.</summary>
    public IReadOnlyList<double> Ratios(string type, bool canary, DateTimeOffset now) =>
        [.. InWindow(type, canary, now).Select(p => (double)p.Value.Failures / p.Value.Attempts)];

    private IEnumerable<KeyValuePair<long, (long Attempts, long Failures)>> InWindow(string type, bool canary, DateTimeOffset now)
    {
        if (!_series.TryGetValue(type, out var sides))
        {
            return [];
        }
        var at = IntervalOf(now);
        return sides[canary ? 1 : 0].Where(p => p.Key > at - intervals && p.Key <= at && p.Value.Attempts > 0);
    }

    private long IntervalOf(DateTimeOffset now) => now.UtcTicks / interval.Ticks;
}
