using Courier.Canaries;
using Xunit;

namespace Courier.Tests.Canaries;

/// <summary>The gate and the statistical judge on a window of both sides.</summary>
public sealed class CanaryJudgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly CanaryOptions Options = new() { Gate = { Floor = 0.05, Factor = 2, MinSamples = 10 } };

    [Fact]
    public void Gate_FailsACanaryAboveTwiceTheStableRate_OnceItHasMinSamples()
    {
        var window = new CanaryWindow(TimeSpan.FromSeconds(10), 6);
        Add(window, "alpha", canary: false, attempts: 100, failures: 10, T0); // stable 10 % → limit 20 %
        Add(window, "alpha", canary: true, attempts: 9, failures: 9, T0);
        Assert.False(CanaryJudge.Judge(window, Options, T0).Failing); // 9 < min samples

        Add(window, "alpha", canary: true, attempts: 1, failures: 0, T0); // 9 of 10 = 90 %
        var verdict = CanaryJudge.Judge(window, Options, T0);
        Assert.True(verdict.Failing);
        Assert.Equal(["alpha"], verdict.Types);
        Assert.Contains("alpha: gate: canary failed 9 of 10", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_PassesACanaryWithinTheLimit_AndTheFloor()
    {
        var window = new CanaryWindow(TimeSpan.FromSeconds(10), 6);
        Add(window, "alpha", canary: false, attempts: 100, failures: 10, T0);
        Add(window, "alpha", canary: true, attempts: 50, failures: 10, T0); // 20 %: not above 20 %
        Add(window, "beta", canary: true, attempts: 100, failures: 5, T0); // 5 %: not above the floor
        var verdict = CanaryJudge.Judge(window, Options, T0);
        Assert.False(verdict.Failing, verdict.Reason);
        Assert.True(verdict.Conclusive);
    }

    [Fact]
    public void Judge_FailsACanaryWorseInEveryInterval_BelowTheGate()
    {
        var window = new CanaryWindow(TimeSpan.FromSeconds(10), 6);
        var loose = new CanaryOptions { Gate = { Floor = 0.5, Factor = 10, MinSamples = 10 } };
        for (var i = 0; i < 6; i++)
        {
            var at = T0.AddSeconds(10 * i);
            Add(window, "alpha", canary: false, attempts: 100, failures: i % 2, at); // 0 or 1 %
            Add(window, "alpha", canary: true, attempts: 100, failures: 10 + i, at); // 10–15 %
        }
        var verdict = CanaryJudge.Judge(window, loose, T0.AddSeconds(55));
        Assert.True(verdict.Failing);
        Assert.Contains("judge: ", verdict.Reason, StringComparison.Ordinal);
        // U = 36 of 36; ties: 0 three times, 0.01 three times (Σ(t³−t) = 48); σ² = 3 · (13 − 48/132) = 37.909; z = 18/σ = 2.9235
        Assert.Contains("Mann-Whitney p = 0.0017 ", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_ForgetsIntervalsOlderThanItsLength()
    {
        var window = new CanaryWindow(TimeSpan.FromSeconds(10), 6);
        Add(window, "alpha", canary: true, attempts: 20, failures: 20, T0);
        Assert.True(CanaryJudge.Judge(window, Options, T0).Failing);
        Assert.Equal(new CanarySide(0, 0), window.Totals("alpha", canary: true, T0.AddSeconds(60)));
        Assert.False(CanaryJudge.Judge(window, Options, T0.AddSeconds(60)).Failing);
    }

    private static void Add(CanaryWindow window, string type, bool canary, int attempts, int failures, DateTimeOffset at)
    {
        for (var i = 0; i < attempts; i++)
        {
            window.Add(type, canary, i < failures, at);
        }
    }
}
