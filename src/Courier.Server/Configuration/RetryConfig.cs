namespace Courier.Server;

/// <summary>The <c>retry</c> block of a rule.</summary>
public sealed class RetryConfig
{
    /// <summary><c>limit</c>: retries after the first execution; <c>0</c> means none (never replaced by a default).</summary>
    public int? Limit { get; init; }

    /// <summary><c>delay</c>: wait before the first retry.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary><c>factor</c>: multiplier between successive retry delays.</summary>
    public double? Factor { get; init; }
}
