using System.Globalization;
using Courier.Dispatching.Ledger;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// A run in progress, as stored under its run-claim key (<see cref="DedupKeys.RunClaim"/>) while the job runs:
/// <c>running|&lt;startMs&gt;|&lt;owner&gt;</c>. Once the run has an outcome the key holds that outcome's name instead.
/// </summary>
/// <param name="Start">When the run started (the dispatcher's clock), to the millisecond.</param>
/// <param name="Owner">Which dispatcher process runs it (<c>host:pid</c>, as the outcome ledger names it), for the waiting job's log line.</param>
internal readonly record struct RunClaim(DateTimeOffset Start, string Owner)
{
    private const string State = "running|";

    /// <summary>A claim of a run starting now in this process.</summary>
    public static RunClaim Now(DateTimeOffset now) => new(DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), OutcomeLedger.ThisDispatcher);

    /// <summary>True when a stored value is a run claim rather than an outcome.</summary>
    public static bool IsClaim(string? value) => value is not null && value.StartsWith(State, StringComparison.Ordinal);

    /// <summary>The stored form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{State}{Start.ToUnixTimeMilliseconds()}|{Owner}");

    /// <summary>Reads a stored claim; null when <paramref name="value"/> is absent or an outcome.</summary>
    public static RunClaim? Parse(string? value)
    {
        if (!IsClaim(value))
        {
            return null;
        }
        var parts = value!.Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var startMs)
            ? new RunClaim(DateTimeOffset.FromUnixTimeMilliseconds(startMs), parts[2])
            : new RunClaim(DateTimeOffset.UnixEpoch, "unknown");
    }
}
