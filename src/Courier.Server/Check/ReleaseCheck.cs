using System.Text.Json.Serialization;
using Courier.Dispatching.History;

namespace Courier.Server.Check;

/// <summary>One release's outcomes of one job type in the check's window.</summary>
public sealed record ReleaseCheck
{
    /// <summary>The release.</summary>
    [JsonPropertyName("release")]
    public required string Release { get; init; }

    /// <summary>Attempts that ended (probes and backpressure waits apart).</summary>
    [JsonPropertyName("attempts")]
    public long Attempts { get; init; }

    /// <summary>Of the attempts, failures (retried, held or dead-lettered).</summary>
    [JsonPropertyName("failures")]
    public long Failures { get; init; }

    /// <summary>Failures over attempts.</summary>
    [JsonPropertyName("failure_ratio")]
    public double FailureRatio { get; init; }

    /// <summary>Records that failed to decode.</summary>
    [JsonPropertyName("decode_failures")]
    public long DecodeFailures { get; init; }

    /// <summary>Probe jobs that succeeded.</summary>
    [JsonPropertyName("probes_succeeded")]
    public long ProbesSucceeded { get; init; }

    /// <summary>Probe jobs that failed.</summary>
    [JsonPropertyName("probes_failed")]
    public long ProbesFailed { get; init; }

    /// <summary>The most frequent failure messages, most frequent first.</summary>
    [JsonPropertyName("top_errors")]
    public IReadOnlyList<ErrorCount> TopErrors { get; init; } = [];

    /// <summary>The check's view of a tally.</summary>
    public static ReleaseCheck From(OutcomeTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return new()
        {
            Release = tally.Release,
            Attempts = tally.Attempts,
            Failures = tally.Failures,
            FailureRatio = tally.FailureRatio,
            DecodeFailures = tally.DecodeFailures,
            ProbesSucceeded = tally.ProbesSucceeded,
            ProbesFailed = tally.ProbesFailed,
            TopErrors = tally.TopErrors,
        };
    }
}
