using System.Globalization;

namespace Courier;

/// <summary>
/// The longest delay Courier holds a job for: <c>delay_until</c> more than <see cref="Max"/> after now. Such a date is
/// a mistake (milliseconds sent as seconds, a year typed wrong) rather than a plan, and before this limit it hopped
/// through the retry tiers (6 h each by default) for as long as it said — up to year 9999, forever in practice, every
/// hop a record and a read. The client refuses it, the intake rejects it, and the dispatcher dead-letters it with class
/// <c>decode</c> and reason <c>delay_too_far</c> (docs/robustness.md, "Decisions"). Checked against the checker's clock,
/// not against <c>meta.dt</c>, which is the producer's and may be skewed.
/// </summary>
public static class JobDelayLimit
{
    /// <summary>The decode reason of a job refused for its delay (a metric and wire value).</summary>
    public const string Reason = "delay_too_far";

    /// <summary>The longest delay held: 366 days.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    /// <summary>Null when <paramref name="delayUntil"/> is absent or within <see cref="Max"/> of <paramref name="now"/>; otherwise the error, at <paramref name="path"/>.</summary>
    public static string? Check(DateTimeOffset? delayUntil, DateTimeOffset now, string path = "$.delay_until")
    {
        if (delayUntil is not { } until || until - now <= Max)
        {
            return null;
        }
        return $"{path}: {until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is "
            + $"{(until - now).TotalDays.ToString("0", CultureInfo.InvariantCulture)} days away; the longest delay Courier holds is "
            + $"{Max.TotalDays.ToString("0", CultureInfo.InvariantCulture)} days";
    }
}
