using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>rate_limit</c> block of a rule (<see cref="RateLimit"/>); keys left out take the default rule's.</summary>
public sealed class RateLimitConfig
{
    /// <summary><c>per_second</c>: most jobs of the type started per second.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("per_second")]
    public int? PerSecond { get; init; }

    /// <summary><c>per_database</c>: most jobs of the type started per second for one database.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("per_database")]
    public int? PerDatabase { get; init; }

    /// <summary>These values over <paramref name="fallback"/>'s.</summary>
    public RateLimit Resolve(RateLimit? fallback) => new()
    {
        PerSecond = PerSecond ?? fallback?.PerSecond,
        PerDatabase = PerDatabase ?? fallback?.PerDatabase,
    };
}
