namespace Courier.Canaries;

/// <summary>
/// A runner pool's canary (<see cref="RunnerPoolOptions.Canary"/>): runners of a new release that get
/// <see cref="Steps"/> of the pool's jobs in turn while they are judged against the stable runners, and none once
/// they fail (docs/operations.md "Canary releases of runners").
/// </summary>
public sealed class CanaryOptions
{
    /// <summary>The canary runners' base URLs (as <see cref="RunnerPoolOptions.Urls"/>).</summary>
    public IList<Uri> Urls { get; init; } = [];

    /// <summary>The canary's release label. Null: what the canary runners announce (<c>Courier-Release</c>).</summary>
    public string? Release { get; set; }

    /// <summary>How jobs are sliced between the sides.</summary>
    public CanarySliceKind Slice { get; set; } = CanarySliceKind.JobId;

    /// <summary>Wikis whose jobs always go to the canary (while it is not rolled back), with slice <c>database</c>.</summary>
    public IList<string> Databases { get; init; } = [];

    /// <summary>Percent of jobs the canary gets at each step, increasing; the last is 100 (promoted).</summary>
    public IList<int> Steps { get; init; } = [10, 50, 100];

    /// <summary>How long a step runs with a passing judgement before the next one.</summary>
    public TimeSpan StepAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The fast gate.</summary>
    public CanaryGateOptions Gate { get; init; } = new();

    /// <summary>The statistical judge.</summary>
    public CanaryJudgeOptions Judge { get; init; } = new();

    /// <summary>What is wrong with these options, each naming the pool.</summary>
    internal IEnumerable<string> Problems(string pool)
    {
        var at = $"runner pool '{pool}': canary";
        // The URLs are checked as the pool's own (RunnerPoolOptions.CanarySide).
        if (Steps.Count == 0 || Steps[^1] != 100 || Steps.Any(s => s is < 1 or > 100)
            || Steps.Zip(Steps.Skip(1)).Any(p => p.First >= p.Second))
        {
            yield return $"{at}: steps must increase within 1..100 and end at 100, got [{string.Join(", ", Steps)}]";
        }
        if (StepAfter <= TimeSpan.Zero)
        {
            yield return $"{at}: step_after must be positive, got {StepAfter}";
        }
        if (Databases.Count > 0 && Slice != CanarySliceKind.Database)
        {
            yield return $"{at}: databases needs slice: database";
        }
        if (Gate.Floor is < 0 or > 1 || Gate.Factor < 1 || Gate.MinSamples < 1)
        {
            yield return $"{at}: gate needs floor within 0..1, factor >= 1 and min_samples >= 1";
        }
        if (Judge.Interval <= TimeSpan.Zero || Judge.Intervals < 2 || Judge.Alpha is <= 0 or >= 1)
        {
            yield return $"{at}: judge needs a positive interval, intervals >= 2 and alpha within (0, 1)";
        }
    }
}
