using System.Globalization;

namespace Courier.Server.Console;

/// <summary>How the console writes numbers, ratios, ages and times (invariant culture, UTC).</summary>
internal static class ConsoleFormat
{
    /// <summary>A rate per second: <c>12.3/s</c>.</summary>
    public static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + "/s";

    /// <summary>A ratio as a percentage, or an em dash for none.</summary>
    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>An age in seconds as <c>45s</c>, <c>3m 20s</c>, <c>2h 5m</c>, <c>3d 4h</c>; an em dash for none.</summary>
    public static string Age(double? seconds)
    {
        if (seconds is not { } s)
        {
            return "—";
        }
        var span = TimeSpan.FromSeconds(Math.Max(0, s));
        return span.TotalMinutes < 1 ? $"{span.Seconds}s"
            : span.TotalHours < 1 ? $"{span.Minutes}m {span.Seconds}s"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : $"{(int)span.TotalDays}d {span.Hours}h";
    }

    /// <summary>A time in UTC: <c>2026-12-05 10:04:12Z</c>; an em dash for none.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
}
