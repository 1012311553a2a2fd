namespace Courier.Bench;

/// <summary>Summaries over a section's measured rounds.</summary>
internal static class RoundStats
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); 0 when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
