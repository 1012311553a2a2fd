namespace Courier.Server.Alerting;

/// <summary>
/// What the watcher's metric reader collected at one instant: per instrument name (<c>courier.jobs.outcomes</c>),
/// every series by its label key (<see cref="SeriesValue.KeyOf"/>). Counters are cumulative since the process
/// started, as Prometheus scrapes them; a series absent from a snapshot had not been recorded yet (it was 0).
/// </summary>
internal sealed record MetricSnapshot(DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyDictionary<string, SeriesValue>> Metrics)
{
    /// <summary>A snapshot with no series (before anything was recorded).</summary>
    public static MetricSnapshot Empty(DateTimeOffset at) => new(at, new Dictionary<string, IReadOnlyDictionary<string, SeriesValue>>());

    /// <summary>The series of one instrument (none when it recorded nothing).</summary>
    public IReadOnlyDictionary<string, SeriesValue> Of(string metric) =>
        Metrics.TryGetValue(metric, out var series) ? series : EmptySeries;

    private static readonly IReadOnlyDictionary<string, SeriesValue> EmptySeries = new Dictionary<string, SeriesValue>();
}
