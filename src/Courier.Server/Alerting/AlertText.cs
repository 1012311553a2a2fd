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
        var parts = new List<string>();
        if (t.Days > 0) parts.Add($"{t.Days}d");
        if (t.Hours > 0) parts.Add($"{t.Hours}h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes}m");
        if (t.Seconds > 0 || parts.Count == 0) parts.Add($"{t.Seconds}s");
        return string.Join(' ', parts);
    }

    /// <summary>A label's value, empty when absent.</summary>
    public static string Label(this SeriesValue series, string name) => series.Labels.TryGetValue(name, out var v) ? v : "";
}
