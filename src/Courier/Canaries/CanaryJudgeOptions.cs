namespace Courier.Canaries;

/// <summary>
/// The statistical judge: a one-sided Mann-Whitney U test of the canary's per-interval failure ratios against the
/// stable ones, over the last <see cref="Intervals"/> intervals of <see cref="Interval"/>.
/// </summary>
public sealed class CanaryJudgeOptions
{
    /// <summary>Length of one interval of the window.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Intervals in the window (also the window of the gate).</summary>
    public int Intervals { get; set; } = 6;

    /// <summary>Significance level: the canary fails when the test says it is worse with p below this.</summary>
    public double Alpha { get; set; } = 0.05;
}
