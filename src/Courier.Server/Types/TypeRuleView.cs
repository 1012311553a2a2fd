using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>The parts of a type's rule an operator reads first (<see cref="TypeView.Rule"/>).</summary>
internal sealed record TypeRuleView
{
    /// <summary>Most executions at once.</summary>
    [JsonPropertyName("concurrency")]
    public int Concurrency { get; init; }

    /// <summary>One execution's timeout, in seconds.</summary>
    [JsonPropertyName("timeout_seconds")]
    public double TimeoutSeconds { get; init; }

    /// <summary>Retries after the first attempt before a job is dead-lettered.</summary>
    [JsonPropertyName("retry_limit")]
    public int RetryLimit { get; init; }

    /// <summary>The runner pool, or null for in-process handlers.</summary>
    [JsonPropertyName("runner")]
    public string? Runner { get; init; }

    /// <summary>True when the type's circuit breaker is on.</summary>
    [JsonPropertyName("breaker")]
    public bool Breaker { get; init; }

    /// <summary>Deduplication: <c>off</c>, or the window (e.g. <c>1d</c>).</summary>
    [JsonPropertyName("dedupe")]
    public string? Dedupe { get; init; }

    /// <summary>Starts per second for the type, or null without a limit.</summary>
    [JsonPropertyName("rate_limit_per_second")]
    public double? RateLimitPerSecond { get; init; }

    /// <summary>Failure classes the rule ignores (counted as done).</summary>
    [JsonPropertyName("ignore")]
    public IReadOnlyList<string> Ignore { get; init; } = [];
}
