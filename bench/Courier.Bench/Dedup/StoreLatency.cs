using System.Diagnostics;
using System.Globalization;
using Courier.State;

namespace Courier.Bench.Dedup;

/// <summary>
/// A state store alone, without the dispatcher: microseconds per call of one caller making calls back to back (a
/// SET is one write transaction on the embedded store and one round trip to Redis; a GET one read or round trip).
/// It tells how much of a drain's time per job the store's calls account for.
/// </summary>
internal static class StoreLatency
{
    private const int Calls = 5_000;

    /// <summary>"set X µs, get Y µs" for <paramref name="store"/>, on keys of its own.</summary>
    public static async Task<string> MeasureAsync(IJobStateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ttl = TimeSpan.FromMinutes(10);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++)
        {
            await store.SetAsync("bench:latency:" + i.ToString(CultureInfo.InvariantCulture), "done|0|x", ttl, cancellationToken);
        }
        var set = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls;
        start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++)
        {
            await store.GetAsync("bench:latency:" + i.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
        var get = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls;
        return string.Create(CultureInfo.InvariantCulture, $"set {set:N1} µs, get {get:N1} µs per call, one caller, {Calls:N0} calls each");
    }
}
