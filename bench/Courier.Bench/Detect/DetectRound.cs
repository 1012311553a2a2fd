namespace Courier.Bench.Detect;

/// <summary>One measured round on one engine: a fresh dispatcher, Prometheus, Alertmanager and receivers.</summary>
internal sealed record DetectRound
{
    public required string Engine { get; init; }

    public required int Round { get; init; }

    /// <summary>When the first failing execution ran (UTC).</summary>
    public required DateTimeOffset FirstFailureAt { get; init; }

    /// <summary>Seconds of healthy traffic, scraped by Prometheus, before the handler broke.</summary>
    public required double WarmupSeconds { get; init; }

    /// <summary>Jobs that succeeded during the warm-up, and that failed until the round ended.</summary>
    public required int Succeeded { get; init; }

    public required int Failed { get; init; }

    /// <summary>Seconds from the first failing execution to each path's alert (by <see cref="DetectPath.Name"/>); null: not seen before the round's limit.</summary>
    public required IReadOnlyDictionary<string, double?> Seconds { get; init; }
}
