using System.Globalization;

namespace Courier.Server.Alerting;

/// <summary>Formats values in alert texts the way the shipped rules' templates do.</summary>
internal static class AlertText
{
    /// <summary>Prometheus' <c>humanizePercentage</c>: 0.3333 → <c>33.33%</c>.</summary>
    public static string Percentage(double ratio) => (ratio * 100).ToString("G4", CultureInfo.InvariantCulture) + "%";

    /// <summary>A plain number with up to three significant digits (<c>printf "%.3g"</c>).</summary>
    public static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Prometheus' <c>humanizeDuration</c> for whole seconds: 1000 → <c>16m 40s</c>.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        var parts = new[] { (t.Days, "d"), (t.Hours, "h"), (t.Minutes, "m"), (t.Seconds, "s") }
            .Where(p => p.Item1 > 0)
            .Select(p => p.Item1.ToString(CultureInfo.InvariantCulture) + p.Item2)
            .DefaultIfEmpty("0s");
        return string.Join(' ', parts);
    }

    /// <summary>A label's value, empty when absent.</summary>
    public static string Label(this SeriesValue series, string name) => series.Labels.TryGetValue(name, out var v) ? v : "";
}
