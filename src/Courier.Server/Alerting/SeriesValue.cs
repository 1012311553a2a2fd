namespace Courier.Server.Alerting;

/// <summary>
/// One time series' value in a <see cref="MetricSnapshot"/>: its labels in Prometheus form (<c>job.type</c> becomes
/// <c>job_type</c>) and its cumulative sum (a counter) or last value (a gauge).
/// </summary>
internal sealed record SeriesValue(IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>One string per label set, the same for the same labels in any order: the series' identity.</summary>
    public static string KeyOf(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u001f', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "\u001e" + l.Value));
}
