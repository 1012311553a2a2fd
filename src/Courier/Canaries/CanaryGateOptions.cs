namespace Courier.Canaries;

/// <summary>
/// The fast gate: the canary fails at once when its failure rate exceeds max(<see cref="Floor"/>,
/// <see cref="Factor"/> × the stable rate) over at least <see cref="MinSamples"/> canary attempts.
/// </summary>
public sealed class CanaryGateOptions
{
    /// <summary>Failure rate the canary may always have (0–1).</summary>
    public double Floor { get; set; } = 0.05;

    /// <summary>How many times the stable failure rate the canary may have.</summary>
    public double Factor { get; set; } = 2;

    /// <summary>Canary attempts needed before the gate judges, and before a step is promoted.</summary>
    public int MinSamples { get; set; } = 10;
}
