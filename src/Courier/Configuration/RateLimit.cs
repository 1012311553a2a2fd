namespace Courier;

/// <summary>
/// A job type's start rate, on top of its concurrency (docs/operations.md, "Rate limits"): jobs started per
/// one-second window, for the type and for each of its databases, shared by the dispatchers using one state store
/// (per dispatcher without one). Off by default.
/// </summary>
/// <remarks>
/// The original dispatcher's rate-limiter step was switched off for jobs in production (<c>disable_ratelimit</c>), so
/// only concurrency bounded a type. Here a waiting job holds no worker: the type's next record simply does not
/// start until its window has room, and a job over its database's budget waits in a retry tier.
/// </remarks>
public sealed class RateLimit
{
    /// <summary>Most jobs of the type started per second (null: no limit).</summary>
    public int? PerSecond { get; set; }

    /// <summary>Most jobs of the type started per second for one <c>database</c> (null: no limit).</summary>
    public int? PerDatabase { get; set; }

    /// <summary>What is wrong with the values, each naming the rule; empty when they are valid.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (PerSecond is < 1)
        {
            yield return $"rule '{ruleName}': rate_limit.per_second must be at least 1, got {PerSecond}";
        }
        if (PerDatabase is < 1)
        {
            yield return $"rule '{ruleName}': rate_limit.per_database must be at least 1, got {PerDatabase}";
        }
    }
}
