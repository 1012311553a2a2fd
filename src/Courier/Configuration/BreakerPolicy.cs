using Courier.Configuration;

namespace Courier;

/// <summary>
/// A job type's circuit breaker: when more than <see cref="FailureRatio"/> of its attempts over the last
/// <see cref="Window"/> failed (at least <see cref="MinSamples"/> attempts), the dispatcher pauses the type for
/// <see cref="OpenFor"/>, then lets <see cref="HalfOpenJobs"/> jobs through: if no more than the ratio of them fail
/// it closes, else it opens again for twice as long (up to <see cref="MaxOpenFor"/>). Jobs that fail while it is open
/// or half-open are held (retried without spending an attempt). On by default; see docs/operations.md.
/// </summary>
public sealed class BreakerPolicy
{
    /// <summary>A breaker that never opens (<c>breaker: off</c>).</summary>
    public static BreakerPolicy Off => new() { Enabled = false };

    /// <summary>False turns the breaker off: the type's failures follow its retry rule only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Failed share of the window's attempts above which the breaker opens (0 &lt; ratio &lt; 1).</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Fewest attempts in the window before the ratio is judged.</summary>
    public int MinSamples { get; set; } = 20;

    /// <summary>The sliding window the ratio is taken over (six buckets of a sixth each).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the first opening lasts before the half-open trial.</summary>
    public TimeSpan OpenFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest an opening lasts: each failed trial doubles the last one up to this.</summary>
    public TimeSpan MaxOpenFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Jobs let through (started) in the half-open trial, whose outcomes decide it.</summary>
    public int HalfOpenJobs { get; set; } = 3;

    /// <summary>What is wrong with the values, each naming the rule and the key; empty when they are valid or off.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (!(FailureRatio > 0 && FailureRatio < 1))
        {
            yield return $"rule '{ruleName}': breaker.failure_ratio must be between 0 and 1 (exclusive), got {FailureRatio}";
        }
        if (MinSamples < 1)
        {
            yield return $"rule '{ruleName}': breaker.min_samples must be at least 1, got {MinSamples}";
        }
        if (Window < TimeSpan.FromSeconds(1))
        {
            yield return $"rule '{ruleName}': breaker.window must be at least 1s, got {Window}";
        }
        if (OpenFor <= TimeSpan.Zero)
        {
            yield return $"rule '{ruleName}': breaker.open_for must be positive, got {OpenFor}";
        }
        if (MaxOpenFor < OpenFor)
        {
            yield return $"rule '{ruleName}': breaker.max_open_for ({MaxOpenFor}) must not be shorter than breaker.open_for ({OpenFor})";
        }
        if (HalfOpenJobs < 1)
        {
            yield return $"rule '{ruleName}': breaker.half_open_jobs must be at least 1, got {HalfOpenJobs}";
        }
    }
}
