using System.Text.Json.Serialization;

namespace Courier.Server.Check;

/// <summary>When a job type's window counts as worse than its baseline.</summary>
/// <param name="FailureRatioFloor">A window failure ratio at or below this never fails the check.</param>
/// <param name="BaselineFactor">The window ratio fails when above this many times the baseline's (and above the floor).</param>
/// <param name="MinAttempts">Fewest attempts in the window for its failure ratio to be judged.</param>
internal sealed record CheckThresholds(
    [property: JsonPropertyName("failure_ratio_floor")] double FailureRatioFloor = 0.05,
    [property: JsonPropertyName("baseline_factor")] double BaselineFactor = 2,
    [property: JsonPropertyName("min_attempts")] long MinAttempts = 10)
{
    /// <summary>The defaults: 5 % floor, twice the baseline, 10 attempts.</summary>
    public static CheckThresholds Default { get; } = new();
}
