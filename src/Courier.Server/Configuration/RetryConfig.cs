using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>retry</c> block of a rule.</summary>
public sealed class RetryConfig
{
    /// <summary><c>limit</c>: retries after the first execution; <c>0</c> means none (never replaced by a default).</summary>
    [ConfigValue(Minimum = 0, TooSmall = "must be 0 or more (0 means no retries)")]
    [ConfigurationKeyName("limit")]
    public int? Limit { get; init; }

    /// <summary><c>delay</c>: wait before the first retry.</summary>
    [ConfigValue(AllowZero = true)]
    [ConfigurationKeyName("delay")]
    public Duration? Delay { get; init; }

    /// <summary><c>factor</c>: multiplier between successive retry delays.</summary>
    [ConfigurationKeyName("factor")]
    public double? Factor { get; init; }
}
