using System.Globalization;

namespace Courier.Cli.Rendering;

/// <summary>A time as text output shows it: UTC to the second, <c>2026-12-05 04:00:00Z</c>.</summary>
internal static class UtcTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
