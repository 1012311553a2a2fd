namespace Courier.Bench;

/// <summary>Enqueue-to-start delays of jobs sent at a steady rate.</summary>
internal sealed record LatencyResult
{
    /// <summary>Jobs per second the sender aimed at.</summary>
    public required int TargetRate { get; init; }

    /// <summary>Jobs per second the sender achieved.</summary>
    public required double SentRate { get; init; }

    /// <summary>Jobs sent.</summary>
    public required long Sent { get; init; }

    /// <summary>Jobs that started before the grace period after sending ran out.</summary>
    public required long Started { get; init; }

    /// <summary>Jobs that started more than once.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Median delay. Jobs that never started count with their wait so far (a lower bound).</summary>
    public required double P50Ms { get; init; }

    /// <summary>95th percentile delay.</summary>
    public required double P95Ms { get; init; }

    /// <summary>99th percentile delay.</summary>
    public required double P99Ms { get; init; }

    /// <summary>Largest delay.</summary>
    public required double MaxMs { get; init; }

    /// <summary>Mean delay.</summary>
    public required double MeanMs { get; init; }

    /// <summary>How far the sender ever fell behind its schedule (slow enqueue calls show here).</summary>
    public required double MaxSendLagMs { get; init; }

    /// <summary>Mean duration of one enqueue call.</summary>
    public required double MeanEnqueueMs { get; init; }
}
