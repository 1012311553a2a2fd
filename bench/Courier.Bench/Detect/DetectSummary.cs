namespace Courier.Bench.Detect;

/// <summary>One path on one engine over the rounds: median and max seconds, and whether the target was met.</summary>
internal sealed record DetectSummary
{
    public required string Path { get; init; }

    public required string Engine { get; init; }

    public required int Rounds { get; init; }

    /// <summary>Rounds in which the alert was not seen before the limit.</summary>
    public required int Missed { get; init; }

    public double? MedianSeconds { get; init; }

    public double? MaxSeconds { get; init; }

    public required double TargetSeconds { get; init; }

    /// <summary>Every round detected within the target (the max, not only the median).</summary>
    public required bool Met { get; init; }

    public static DetectSummary Of(DetectPath path, string engine, IReadOnlyList<DetectRound> rounds)
    {
        var seen = rounds.Select(r => r.Seconds.GetValueOrDefault(path.Name)).OfType<double>().ToArray();
        double? max = seen.Length == 0 ? null : seen.Max();
        var missed = rounds.Count - seen.Length;
        return new DetectSummary
        {
            Path = path.Name,
            Engine = engine,
            Rounds = rounds.Count,
            Missed = missed,
            MedianSeconds = seen.Length == 0 ? null : RoundStats.Median(seen),
            MaxSeconds = max,
            TargetSeconds = path.TargetSeconds,
            Met = missed == 0 && max <= path.TargetSeconds,
        };
    }
}
