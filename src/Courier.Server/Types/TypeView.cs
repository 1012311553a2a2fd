using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>
/// One job type as the admin API (<c>GET /v1/types</c>) and the console's overview show it: its rule, counts since the
/// dispatcher started, recent rates, lag, oldest pending age, pause/breaker state and its runner pool's canary.
/// </summary>
internal sealed record TypeView
{
    /// <summary>The job type.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Where its jobs run: <c>in-process</c> or a runner pool's name.</summary>
    [JsonPropertyName("executor")]
    public string? Executor { get; init; }

    /// <summary>The rule in force (the dispatcher's resolved rule for the type).</summary>
    [JsonPropertyName("rule")]
    public required TypeRuleView Rule { get; init; }

    /// <summary>Counts since this dispatcher started (every terminal state, retries, in flight).</summary>
    [JsonPropertyName("counts")]
    public required TypeCounts Counts { get; init; }

    /// <summary>Executions per second over the last minute.</summary>
    [JsonPropertyName("rate_per_second")]
    public double RatePerSecond { get; init; }

    /// <summary>
    /// Succeeded / (succeeded + failed attempts) over the last five minutes, 0..1; null when nothing ran in that window.
    /// </summary>
    [JsonPropertyName("success_ratio")]
    public double? SuccessRatio { get; init; }

    /// <summary>Uncommitted records of the type's job topic and retry tiers (the whole group's).</summary>
    [JsonPropertyName("lag")]
    public long Lag { get; init; }

    /// <summary>Age in seconds of the oldest job taken and not finished; null when none is pending.</summary>
    [JsonPropertyName("oldest_pending_seconds")]
    public double? OldestPendingSeconds { get; init; }

    /// <summary><c>running</c>, <c>paused</c> (by an operator), <c>breaker_open</c> or <c>breaker_half_open</c>.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>Why it is paused (an operator's reason or the breaker's); null while running.</summary>
    [JsonPropertyName("paused_reason")]
    public string? PausedReason { get; init; }

    /// <summary>Since when it is paused; null while running.</summary>
    [JsonPropertyName("paused_since")]
    public DateTimeOffset? PausedSince { get; init; }

    /// <summary>The type's runner pool's canary (release, state, weight, verdict); null without one.</summary>
    [JsonPropertyName("canary")]
    public TypeCanaryView? Canary { get; init; }
}
