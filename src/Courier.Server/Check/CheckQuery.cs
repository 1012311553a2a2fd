using System.Globalization;
using Courier.Server.Configuration;

namespace Courier.Server.Check;

/// <summary>
/// The parameters of <c>GET /v1/check</c>: <c>since</c> (an RFC 3339 time, a duration back from now, or a release
/// name: when it was first seen running a job) and <c>baseline</c> (a duration; by default as long as the window).
/// </summary>
internal static class CheckQuery
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>
    /// The window the parameters name at <paramref name="now"/>, or false with an error that begins with the
    /// parameter's name (<c>since: …</c>, <c>baseline: …</c>).
    /// </summary>
    public static bool TryResolve(string? since, string? baseline, DateTimeOffset now, IReadOnlyDictionary<string, DateTimeOffset> releases,
        out CheckWindow? window, out string? error)
    {
        ArgumentNullException.ThrowIfNull(releases);
        window = null;
        error = null;
        if (string.IsNullOrWhiteSpace(since))
        {
            error = "since: required: an RFC 3339 time (2026-12-05T04:00:00Z), a duration back from now (15m) or a release name";
            return false;
        }
        string? release = null;
        DateTimeOffset start;
        if (DateTimeOffset.TryParseExact(since, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            start = time;
        }
        else if (Duration.TryParse(since, out var ago))
        {
            start = now - ago.TimeSpan;
        }
        else if (releases.TryGetValue(since, out var firstSeen))
        {
            start = firstSeen;
            release = since;
        }
        else
        {
            var known = releases.Count == 0 ? "none yet"
                : string.Join(", ", releases.OrderByDescending(r => r.Value).Select(r => r.Key));
            error = $"since: '{since}' is not an RFC 3339 time, a duration ({Duration.Help}) or a release this dispatcher has seen "
                + $"run a job (known releases, newest first: {known})";
            return false;
        }
        if (start > now)
        {
            error = $"since: '{since}' is in the future";
            return false;
        }
        var length = now - start;
        if (baseline is not null)
        {
            if (!Duration.TryParse(baseline, out var given) || given.TimeSpan <= TimeSpan.Zero)
            {
                error = $"baseline: '{baseline}' is not a positive duration ({Duration.Help})";
                return false;
            }
            length = given.TimeSpan;
        }
        window = new CheckWindow { Since = start, Until = now, BaselineSince = start - length, SinceRelease = release };
        return true;
    }
}
