using Courier.Configuration;

namespace Courier;

/// <summary>
/// How a rule retries retryable failures. Attempt n (n ≥ 1 retries) waits <c>Delay × Factor^(n−1)</c>.
/// Defaults follow the original (1 min, then 6 min; limit 2).
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>
    /// Retries after the first execution. 0 means none. The original read <c>retry_limit || 2</c>, so a configured
    /// 0 silently became 2 (docs/original-system.md, "Dispatcher rules"); Courier honours 0.
    /// </summary>
    public int Limit { get; set; } = 2;

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Multiplier between successive retry delays.</summary>
    public double Factor { get; set; } = 6;

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayFor(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ticks = Delay.Ticks * Math.Pow(Factor, retry - 1);
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate(string ruleName) => OptionsProblems.ThrowFirst(Problems(ruleName));

    /// <summary>What is wrong with the values, each naming the rule and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (Limit < 0)
        {
            yield return $"rule '{ruleName}': retry.limit must be 0 or more (0 means no retries), got {Limit}";
        }
        if (Delay < TimeSpan.Zero)
        {
            yield return $"rule '{ruleName}': retry.delay must not be negative, got {Delay}";
        }
        if (Factor < 1 || double.IsNaN(Factor) || double.IsInfinity(Factor))
        {
            yield return $"rule '{ruleName}': retry.factor must be a finite number ≥ 1, got {Factor}";
        }
    }
}
