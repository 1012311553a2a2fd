namespace Courier.Bench.Limit;

/// <summary>
/// The embedded engine's physical limit, measured in the same child process right after Courier's enqueue and
/// processing rates: the same records, appended and read back with plain SQLite under the engine's settings.
/// </summary>
internal sealed record SqliteLimitResult
{
    /// <summary>Records appended and read.</summary>
    public required int Records { get; init; }

    /// <summary>Records per append transaction (Courier's enqueue batch).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Mean bytes of a record's key, headers and value.</summary>
    public required double MeanRecordBytes { get; init; }

    /// <summary>The appends, one transaction per batch.</summary>
    public required RateResult Append { get; init; }

    /// <summary>The in-order read of every partition, then one commit of the offsets.</summary>
    public required RateResult Read { get; init; }

    /// <summary>SQLite's settings as the limit's connection read them back.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Records per second over the append and the read together.</summary>
    public double RoundTripPerSecond => Append.Seconds + Read.Seconds > 0 ? Records / (Append.Seconds + Read.Seconds) : 0;
}
