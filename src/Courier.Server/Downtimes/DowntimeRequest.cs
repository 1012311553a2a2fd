namespace Courier.Server.Downtimes;

/// <summary>
/// What <c>courier downtime add</c> asks for: one service on a set of hosts for a span of time, with the canonical
/// comment. <see cref="Check"/> enforces the limits; the stores give it its ids.
/// </summary>
internal sealed record DowntimeRequest
{
    /// <summary>The shortest downtime: anything shorter ends before an alert could be silenced by it.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(1);

    /// <summary>The longest downtime without <c>force</c>: a forgotten downtime hides alerts for at most a week.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>The <c>service</c> label value to silence.</summary>
    public required string Service { get; init; }

    /// <summary>Comma-separated glob patterns of host names (see <see cref="Downtime.Hosts"/>).</summary>
    public required string Hosts { get; init; }

    /// <summary>The start.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>How long it lasts.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The canonical comment, kept unchanged.</summary>
    public required string Comment { get; init; }

    /// <summary>Who asks (<c>user@host</c>).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The group id shared by the records this request creates; a new one when null.</summary>
    public string? GroupId { get; init; }

    /// <summary>The end: <see cref="StartsAt"/> plus <see cref="Duration"/>.</summary>
    public DateTimeOffset EndsAt => StartsAt + Duration;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> with a message for a person when the request is not a downtime Courier
    /// writes: an empty service, comment or host pattern, a duration under <see cref="MinDuration"/>, or over
    /// <see cref="MaxDuration"/> unless <paramref name="force"/>, or an end already past at <paramref name="now"/>.
    /// </summary>
    public void Check(DateTimeOffset now, bool force)
    {
        if (string.IsNullOrWhiteSpace(Service))
        {
            throw new ArgumentException("the service is empty");
        }
        if (string.IsNullOrWhiteSpace(Comment))
        {
            throw new ArgumentException("the comment is empty: it is how the downtime is found again to cancel it");
        }
        if (string.IsNullOrWhiteSpace(Hosts))
        {
            throw new ArgumentException("the host pattern is empty");
        }
        if (Hosts.Split(',').Any(item => item.Trim().Length == 0))
        {
            throw new ArgumentException($"the host pattern '{Hosts}' has an empty item");
        }
        if (Duration < MinDuration)
        {
            throw new ArgumentException($"the duration {Hours(Duration)} is under the minimum of {MinDuration.TotalMinutes:0} minute");
        }
        if (Duration > MaxDuration && !force)
        {
            throw new ArgumentException($"the duration {Hours(Duration)} is over the maximum of {MaxDuration.TotalDays:0} days (allowed with --force)");
        }
        if (EndsAt <= now)
        {
            throw new ArgumentException($"it would end at {EndsAt.UtcDateTime:u}, which is past");
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when <paramref name="start"/> is more than a minute before
    /// <paramref name="now"/> (a start in the past is a mistake; leaving it out starts now).
    /// </summary>
    public static void CheckStart(DateTimeOffset start, DateTimeOffset now)
    {
        if (start < now - TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"{start.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC is in the past; leave it out to start now");
        }
    }

    private static string Hours(TimeSpan span) =>
        span.TotalHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " h";

    /// <summary>Who is running this process, as <c>user@host</c>.</summary>
    public static string CurrentUser() => $"{Environment.UserName}@{Environment.MachineName}";
}
