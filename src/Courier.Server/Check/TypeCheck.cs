using System.Text.Json.Serialization;
using Courier.Dispatching.History;

namespace Courier.Server.Check;

/// <summary>One job type's verdict: its window against its baseline, all releases together, then per release.</summary>
public sealed record TypeCheck
{
    /// <summary>The job type.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>pass</c>, <c>fail</c> or <c>no_data</c> (<see cref="CheckVerdicts"/>).</summary>
    [JsonPropertyName("verdict")]
    public required string Verdict { get; init; }

    /// <summary>Why it fails, or why there is no data; empty on a pass.</summary>
    [JsonPropertyName("reasons")]
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Attempts in the window.</summary>
    [JsonPropertyName("attempts")]
    public long Attempts { get; init; }

    /// <summary>Failures in the window.</summary>
    [JsonPropertyName("failures")]
    public long Failures { get; init; }

    /// <summary>The window's failure ratio.</summary>
    [JsonPropertyName("failure_ratio")]
    public double FailureRatio { get; init; }

    /// <summary>Attempts in the baseline.</summary>
    [JsonPropertyName("baseline_attempts")]
    public long BaselineAttempts { get; init; }

    /// <summary>The baseline's failure ratio.</summary>
    [JsonPropertyName("baseline_failure_ratio")]
    public double BaselineFailureRatio { get; init; }

    /// <summary>Decode failures in the window.</summary>
    [JsonPropertyName("decode_failures")]
    public long DecodeFailures { get; init; }

    /// <summary>Decode failures in the baseline.</summary>
    [JsonPropertyName("baseline_decode_failures")]
    public long BaselineDecodeFailures { get; init; }

    /// <summary>Probe jobs that succeeded in the window.</summary>
    [JsonPropertyName("probes_succeeded")]
    public long ProbesSucceeded { get; init; }

    /// <summary>Probe jobs that failed in the window.</summary>
    [JsonPropertyName("probes_failed")]
    public long ProbesFailed { get; init; }

    /// <summary>The most frequent failure messages of the window, all releases together.</summary>
    [JsonPropertyName("top_errors")]
    public IReadOnlyList<ErrorCount> TopErrors { get; init; } = [];

    /// <summary>The window per release that ran the type.</summary>
    [JsonPropertyName("releases")]
    public IReadOnlyList<ReleaseCheck> Releases { get; init; } = [];
}
