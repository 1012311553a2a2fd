using System.Globalization;

namespace Courier.Cli.Rendering;

/// <summary>
/// One line per paused job type (or type whose breaker is not closed) for the live view, the plain progress and the
/// summary: type, since when, why, and its breaker; and the mark beside a paused type's name in the tables.
/// </summary>
internal static class PauseLines
{
    public static IEnumerable<string> Of(IEnumerable<JobTypeStats> types) =>
        types.Where(t => t.Paused || IsTripped(t)).Select(t => t.Paused
            ? $"{t.Type} paused since {t.PausedSince?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-"}"
                + $" ({t.PauseReason ?? "no reason given"}): its jobs wait in the log{Breaker(t)}"
            : $"{t.Type}{Breaker(t)}: a few jobs run on trial");

    /// <summary>The mark after a type's name in the tables (Spectre markup): paused, breaker open or half-open.</summary>
    public static string Mark(JobTypeStats type) => type.BreakerState switch
    {
        "open" => " [red](breaker open)[/]",
        "half_open" => " [yellow](breaker half-open)[/]",
        _ => type.Paused ? " [yellow](paused)[/]" : "",
    };

    private static bool IsTripped(JobTypeStats type) => type.BreakerState is "open" or "half_open";

    private static string Breaker(JobTypeStats type) => IsTripped(type) ? $"; breaker {type.BreakerState!.Replace('_', '-')}" : "";
}
