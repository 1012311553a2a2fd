namespace Courier.Bench.Detect;

/// <summary>The detect section: time from a type's first failing execution to its alert, per path and engine.</summary>
internal sealed record DetectResult
{
    /// <summary>Jobs per second of the measured type, before and after it broke.</summary>
    public required int Rate { get; init; }

    /// <summary>The settings measured with: intervals, thresholds, the rule's expression.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public required IReadOnlyList<DetectRound> Rounds { get; init; }

    public required IReadOnlyList<DetectSummary> Summaries { get; init; }
}
