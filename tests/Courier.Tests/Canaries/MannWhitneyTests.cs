using Courier.Canaries;
using Xunit;

namespace Courier.Tests.Canaries;

/// <summary>The one-sided Mann-Whitney U test against values computed by hand.</summary>
public sealed class MannWhitneyTests
{
    [Fact]
    public void U_CountsPairsWhereXIsGreater_TiesAsHalf()
    {
        // x = [3, 4, 5], y = [1, 2, 3]: pairs x > y: 3>{1,2}=2, 4>all=3, 5>all=3 → 8; the tie 3=3 adds 0.5.
        Assert.Equal(8.5, MannWhitney.U([3, 4, 5], [1, 2, 3]));
        Assert.Equal(0.5, MannWhitney.U([1, 2, 3], [3, 4, 5]));
    }

    [Fact]
    public void Z_WithoutTies_IsTheTextbookNormalApproximation()
    {
        // x = [4, 5, 6], y = [1, 2, 3]: U = 9, mean 4.5, σ² = 3·3/12 · 7 = 5.25 → z = 4.5 / √5.25 = 1.963961...
        Assert.Equal(4.5 / Math.Sqrt(5.25), MannWhitney.Z([4, 5, 6], [1, 2, 3])!.Value, 12);
        // P(Z ≥ 1.963961) = 0.024767 (tables: Φ(1.96) = 0.9750).
        Assert.Equal(0.02477, MannWhitney.PGreater([4, 5, 6], [1, 2, 3]), 4);
        Assert.Equal(1 - 0.02477, MannWhitney.PGreater([1, 2, 3], [4, 5, 6]), 4);
    }

    [Fact]
    public void Z_WithTies_CorrectsTheVariance()
    {
        // x = [0.5, 0.5, 1], y = [0, 0, 0.5]: U = 2·(2 + 0.5) + 3 = 8; n = 6, ties: three 0.5 (t=3 → 24), two 0 (t=2 → 6).
        // σ² = 9/12 · (7 − 30/30) = 4.5 → z = (8 − 4.5)/√4.5 = 1.649915...
        Assert.Equal(8, MannWhitney.U([0.5, 0.5, 1], [0, 0, 0.5]));
        Assert.Equal(3.5 / Math.Sqrt(4.5), MannWhitney.Z([0.5, 0.5, 1], [0, 0, 0.5])!.Value, 12);
        // P(Z ≥ 1.6499) = 0.04948.
        Assert.Equal(0.04948, MannWhitney.PGreater([0.5, 0.5, 1], [0, 0, 0.5]), 4);
    }

    [Fact]
    public void AllTied_OrAnEmptySample_GivesNoEvidence()
    {
        Assert.Null(MannWhitney.Z([0, 0, 0], [0, 0]));
        Assert.Null(MannWhitney.Z([], [1, 2]));
        Assert.Equal(0.5, MannWhitney.PGreater([0, 0, 0], [0, 0]));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.0, 0.158655254)]
    [InlineData(1.644854, 0.05)]
    [InlineData(-1.0, 0.841344746)]
    [InlineData(3.0, 0.001349898)]
    public void UpperTail_MatchesTheNormalTable(double z, double p) => Assert.Equal(p, MannWhitney.UpperTail(z), 6);
}
