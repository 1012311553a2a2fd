namespace Courier.Server.Alerting;

/// <summary>
/// The watcher's bounded memory of <see cref="MetricSnapshot"/>s, enough to compute increases over the rules' windows
/// (1m to 6h). Every snapshot of the last <see cref="FullResolution"/> is kept; older ones are thinned to one per
/// <see cref="CoarseStep"/> and dropped past <see cref="Span"/>, so a 5 s interval keeps about 500 snapshots. A long
/// window's start is therefore found to within one step, as Prometheus' own sampling would.
/// </summary>
internal sealed class SampleHistory
{
    /// <summary>How long every snapshot is kept.</summary>
    public static readonly TimeSpan FullResolution = TimeSpan.FromMinutes(10);

    /// <summary>The spacing of older snapshots.</summary>
    public static readonly TimeSpan CoarseStep = TimeSpan.FromMinutes(1);

    /// <summary>The longest window a rule reads (6h), plus one step.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromHours(6) + CoarseStep;

    private readonly List<MetricSnapshot> _snapshots = [];

    /// <summary>The newest snapshot (empty before the first).</summary>
    public MetricSnapshot Latest => _snapshots.Count > 0 ? _snapshots[^1] : MetricSnapshot.Empty(DateTimeOffset.MinValue);

    /// <summary>How many snapshots are held (for tests of the bound).</summary>
    public int Count => _snapshots.Count;

    /// <summary>Appends a snapshot and thins or drops the old ones.</summary>
    public void Add(MetricSnapshot snapshot)
    {
        _snapshots.Add(snapshot);
        var now = snapshot.At;
        _snapshots.RemoveAll(s => now - s.At > Span);
        MetricSnapshot? kept = null;
        _snapshots.RemoveAll(s =>
        {
            if (now - s.At <= FullResolution)
            {
                return false;
            }
            if (kept is not null && s.At - kept.At < CoarseStep)
            {
                return true;
            }
            kept = s;
            return false;
        });
    }

    /// <summary>
    /// The increase of a counter over the last <paramref name="window"/>, summed by the <paramref name="by"/> labels
    /// over the series <paramref name="where"/> accepts: the newest value minus the one at the window's start (the
    /// newest snapshot at or before it). When the history is shorter than the window, the start is the process's,
    /// where every counter was 0.
    /// </summary>
    public Dictionary<string, SeriesValue> Increase(string metric, TimeSpan window, string[] by, Func<IReadOnlyDictionary<string, string>, bool>? where = null)
    {
        var latest = Latest;
        var start = _snapshots.LastOrDefault(s => s.At <= latest.At - window)?.Of(metric);
        return Sum(latest.Of(metric).Values, by, where, s =>
        {
            var before = start is not null && start.TryGetValue(SeriesValue.KeyOf(s.Labels), out var old) ? old.Value : 0;
            // A counter only shrinks when its process restarted; this one is the process's own, but stay safe.
            return s.Value >= before ? s.Value - before : s.Value;
        });
    }

    /// <summary>A gauge's newest values, aggregated by the <paramref name="by"/> labels with <paramref name="combine"/>.</summary>
    public Dictionary<string, SeriesValue> Gauge(string metric, string[] by, Func<double, double, double> combine,
        Func<IReadOnlyDictionary<string, string>, bool>? where = null) =>
        Sum(Latest.Of(metric).Values, by, where, s => s.Value, combine);

    private static Dictionary<string, SeriesValue> Sum(IEnumerable<SeriesValue> series, string[] by,
        Func<IReadOnlyDictionary<string, string>, bool>? where, Func<SeriesValue, double> value, Func<double, double, double>? combine = null)
    {
        var groups = new Dictionary<string, SeriesValue>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            if (where is not null && !where(s.Labels))
            {
                continue;
            }
            var labels = by.ToDictionary(l => l, l => s.Labels.TryGetValue(l, out var v) ? v : "", StringComparer.Ordinal);
            var key = SeriesValue.KeyOf(labels);
            var v = value(s);
            groups[key] = groups.TryGetValue(key, out var group) ? group with { Value = (combine ?? Add)(group.Value, v) } : new SeriesValue(labels, v);
        }
        return groups;
    }

    private static double Add(double a, double b) => a + b;
}
