namespace Courier.Canaries;

/// <summary>
/// The Mann-Whitney U test, one-sided: is sample <c>x</c> stochastically greater than sample <c>y</c>? U counts the
/// pairs (x, y) with x greater than y, ties as one half; its p-value uses the normal approximation with the tie
/// correction of the variance, without continuity correction.
/// </summary>
internal static class MannWhitney
{
    /// <summary>U of <paramref name="x"/> against <paramref name="y"/>: pairs with x &gt; y, plus half the ties.</summary>
    public static double U(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var u = 0.0;
        foreach (var a in x)
        {
            foreach (var b in y)
            {
                u += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        return u;
    }

    /// <summary>
    /// z of U under the null hypothesis: (U − n₁n₂/2) / σ, σ² = n₁n₂/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))) over
    /// the groups of t tied values of both samples together. Null when σ is 0 (every value tied) or a sample is empty.
    /// </summary>
    public static double? Z(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double n1 = x.Count, n2 = y.Count, n = n1 + n2;
        if (n1 == 0 || n2 == 0)
        {
            return null;
        }
        var ties = x.Concat(y).GroupBy(v => v).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        var variance = n1 * n2 / 12 * (n + 1 - ties / (n * (n - 1)));
        return variance <= 0 ? null : (U(x, y) - n1 * n2 / 2) / Math.Sqrt(variance);
    }

    /// <summary>P(Z ≥ z) for the test of x greater than y; 0.5 when there is no evidence either way (see <see cref="Z"/>).</summary>
    public static double PGreater(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        Z(x, y) is { } z ? UpperTail(z) : 0.5;

    /// <summary>P(Z ≥ z) of the standard normal: erfc(z/√2)/2, erfc by Abramowitz and Stegun 7.1.26 (error below 1.5e-7).</summary>
    public static double UpperTail(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        var erfc = poly * Math.Exp(-x * x);
        return z >= 0 ? erfc / 2 : 1 - erfc / 2;
    }
}
