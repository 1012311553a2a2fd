using System.Globalization;

namespace Courier.Cli.Rendering;

/// <summary>Number and duration formats shared by the views (invariant culture).</summary>
internal static class Format
{
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString(perSecond < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture);

    public static string Elapsed(TimeSpan elapsed) => elapsed.TotalHours >= 1
        ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    /// <summary><c>12 (permanent 10, retryable 2)</c>, or just the number when there are none.</summary>
    public static string DeadLetters(long total, IReadOnlyDictionary<FailureClass, long> byClass)
    {
        var parts = byClass.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key.ToWireName(), StringComparer.Ordinal)
            .Select(kv => $"{kv.Key.ToWireName()} {N(kv.Value)}").ToList();
        return parts.Count == 0 ? N(total) : $"{N(total)} ({string.Join(", ", parts)})";
    }

    /// <summary>Jobs that ended without running: deduplicated, superseded, abandoned or cancelled.</summary>
    public static long NotRunCount(JobTypeStats stats) => stats.Deduplicated + stats.Superseded + stats.Abandoned + stats.Cancelled;

    /// <summary><c>3 (deduplicated 2, superseded 1)</c>, or just the number when there are none.</summary>
    public static string NotRun(JobTypeStats stats)
    {
        var parts = new (string State, long Count)[]
        {
            ("deduplicated", stats.Deduplicated), ("superseded", stats.Superseded), ("abandoned", stats.Abandoned), ("cancelled", stats.Cancelled),
        }.Where(p => p.Count > 0).Select(p => $"{p.State} {N(p.Count)}").ToList();
        return parts.Count == 0 ? N(NotRunCount(stats)) : $"{N(NotRunCount(stats))} ({string.Join(", ", parts)})";
    }
}
