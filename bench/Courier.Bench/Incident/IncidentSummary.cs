namespace Courier.Bench.Incident;

/// <summary>One guard on one engine over the rounds: median and max seconds to detect and to stop, against the targets.</summary>
internal sealed record IncidentSummary
{
    /// <summary>Issue 12's targets, and what April 2019 took (from the first failures to the alert a user raised, and to the fix).</summary>
    public const double DetectTarget = 60, StopTarget = 90, Detect2019 = 16 * 3600 + 28 * 60, Stop2019 = 17 * 3600 + 44 * 60;

    public required IncidentGuard Guard { get; init; }

    public required string Engine { get; init; }

    public required int Rounds { get; init; }

    public double? DetectMedian { get; init; }

    public double? DetectMax { get; init; }

    public double? StopMedian { get; init; }

    public double? StopMax { get; init; }

    /// <summary>Dead letters of the broken type over the rounds (failures the guard did not hold).</summary>
    public required long DeadLettered { get; init; }

    /// <summary>Every round decided, and within both targets (the max, not only the median), and drained.</summary>
    public required bool Met { get; init; }

    public static IncidentSummary Of(IncidentGuard guard, string engine, IReadOnlyList<IncidentRound> rounds)
    {
        var detect = rounds.Select(r => r.DetectSeconds).OfType<double>().ToArray();
        var stop = rounds.Select(r => r.StopSeconds).OfType<double>().ToArray();
        return new IncidentSummary
        {
            Guard = guard,
            Engine = engine,
            Rounds = rounds.Count,
            DetectMedian = detect.Length == 0 ? null : RoundStats.Median(detect),
            DetectMax = detect.Length == 0 ? null : detect.Max(),
            StopMedian = stop.Length == 0 ? null : RoundStats.Median(stop),
            StopMax = stop.Length == 0 ? null : stop.Max(),
            DeadLettered = rounds.Sum(r => r.DeadLettered),
            Met = detect.Length == rounds.Count && stop.Length == rounds.Count && detect.Max() <= DetectTarget && stop.Max() <= StopTarget
                && rounds.All(r => r.Drained),
        };
    }
}
