using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>judge</c> block of a canary: the Mann-Whitney test over the window's intervals.</summary>
public sealed class CanaryJudgeConfig
{
    /// <summary><c>interval</c>: length of one interval (default 10s).</summary>
    [ConfigurationKeyName("interval")]
    public Duration? Interval { get; init; }

    /// <summary><c>intervals</c>: intervals in the window (default 6).</summary>
    [ConfigValue(Minimum = 2)]
    [ConfigurationKeyName("intervals")]
    public int? Intervals { get; init; }

    /// <summary><c>alpha</c>: significance level of the test (default 0.05).</summary>
    [ConfigurationKeyName("alpha")]
    public double? Alpha { get; init; }
}
