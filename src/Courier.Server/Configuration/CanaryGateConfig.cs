using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>gate</c> block of a canary: the fast check that rolls it back at once.</summary>
public sealed class CanaryGateConfig
{
    /// <summary><c>floor</c>: failure rate (0–1) the canary may always have (default 0.05).</summary>
    [ConfigurationKeyName("floor")]
    public double? Floor { get; init; }

    /// <summary><c>factor</c>: how many times the stable failure rate the canary may have (default 2).</summary>
    [ConfigurationKeyName("factor")]
    public double? Factor { get; init; }

    /// <summary><c>min_samples</c>: canary attempts before the gate judges and before a step is promoted (default 10).</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("min_samples")]
    public int? MinSamples { get; init; }
}
