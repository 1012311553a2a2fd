namespace Courier.Cli.Rendering;

/// <summary>Completions per second of each job type over a short sliding window.</summary>
internal sealed class RateTracker(TimeProvider timeProvider, TimeSpan window)
{
    private readonly Queue<(long Timestamp, Dictionary<string, long> Done)> _samples = new();

    public IReadOnlyDictionary<string, double> Sample(IReadOnlyDictionary<string, long> done)
    {
        var now = timeProvider.GetTimestamp();
        _samples.Enqueue((now, new Dictionary<string, long>(done, StringComparer.Ordinal)));
        while (_samples.Count > 2 && timeProvider.GetElapsedTime(_samples.Peek().Timestamp, now) > window)
        {
            _samples.Dequeue();
        }
        var (oldest, before) = _samples.Peek();
        var seconds = timeProvider.GetElapsedTime(oldest, now).TotalSeconds;
        return done.ToDictionary(
            kv => kv.Key,
            kv => seconds <= 0 ? 0 : Math.Max(0, kv.Value - before.GetValueOrDefault(kv.Key)) / seconds,
            StringComparer.Ordinal);
    }
}
