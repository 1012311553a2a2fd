using System.Globalization;

namespace Courier.Canaries;

/// <summary>
/// Judges a canary on its window, per job type and overall: the fast gate (failure rate above max(floor, factor ×
/// stable)) and the statistical judge (Mann-Whitney U, one-sided, on per-interval failure ratios).
/// </summary>
internal static class CanaryJudge
{
    /// <summary>The verdict on <paramref name="window"/> at <paramref name="now"/>.</summary>
    public static CanaryVerdict Judge(CanaryWindow window, CanaryOptions options, DateTimeOffset now)
    {
        var failing = new List<string>();
        var reasons = new List<string>();
        foreach (var key in window.Types.Order(StringComparer.Ordinal).Append(CanaryWindow.Overall))
        {
            if (Problem(window, options, key, now) is { } problem)
            {
                failing.Add(key);
                reasons.Add($"{(key == CanaryWindow.Overall ? "overall" : key)}: {problem}");
            }
        }
        var overall = window.Totals(CanaryWindow.Overall, canary: true, now);
        var conclusive = overall.Attempts >= options.Gate.MinSamples;
        if (failing.Count > 0)
        {
            // Failing overall only (no type has its own min samples yet): name the types over their gate limit.
            var types = failing.Where(k => k != CanaryWindow.Overall).ToList() is { Count: > 0 } named ? named
                : [.. window.Types.Order(StringComparer.Ordinal).Where(t => window.Totals(t, canary: true, now).FailureRate > Limit(window, options, t, now))];
            return new CanaryVerdict(true, conclusive, string.Join("; ", reasons), types);
        }
        return new CanaryVerdict(false, conclusive, conclusive
            ? $"passing: {overall.Attempts} canary attempts in the window, no type worse than stable"
            : $"waiting: {overall.Attempts} of {options.Gate.MinSamples} canary attempts", []);
    }

    /// <summary>The failure rate the canary may have on <paramref name="key"/>: max(floor, factor × stable's).</summary>
    private static double Limit(CanaryWindow window, CanaryOptions options, string key, DateTimeOffset now) =>
        Math.Max(options.Gate.Floor, options.Gate.Factor * window.Totals(key, canary: false, now).FailureRate);

    /// <summary>Why the canary fails on <paramref name="key"/>, or null.</summary>
    private static string? Problem(CanaryWindow window, CanaryOptions options, string key, DateTimeOffset now)
    {
        var canary = window.Totals(key, canary: true, now);
        var stable = window.Totals(key, canary: false, now);
        var limit = Limit(window, options, key, now);
        if (canary.Attempts >= options.Gate.MinSamples && canary.FailureRate > limit)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"gate: canary failed {canary.Failures} of {canary.Attempts} ({canary.FailureRate:P1}), above {limit:P1} (stable {stable.Failures} of {stable.Attempts})");
        }
        var canaryRatios = window.Ratios(key, canary: true, now);
        var stableRatios = window.Ratios(key, canary: false, now);
        if (canaryRatios.Count < 2 || stableRatios.Count < 2)
        {
            return null;
        }
        var p = MannWhitney.PGreater(canaryRatios, stableRatios);
        return p < options.Judge.Alpha
            ? string.Create(CultureInfo.InvariantCulture,
                $"judge: canary failure ratios worse than stable over {canaryRatios.Count} and {stableRatios.Count} intervals (Mann-Whitney p = {p:0.####} < {options.Judge.Alpha})")
            : null;
    }
}
