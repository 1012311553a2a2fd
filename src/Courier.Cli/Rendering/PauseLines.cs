using System.Globalization;

namespace Courier.Cli.Rendering;

/// <summary>One line per paused job type for the live view, the plain progress and the summary: type, since when, why.</summary>
internal static class PauseLines
{
    public static IEnumerable<string> Of(IEnumerable<JobTypeStats> types) =>
        types.Where(t => t.Paused).Select(t =>
            $"{t.Type} paused since {t.PausedSince?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-"}"
            + $" ({t.PauseReason ?? "no reason given"}): its jobs wait in the log");
}
