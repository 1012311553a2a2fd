using System.Text.Json.Serialization;

namespace Courier.Server.Demo;

/// <summary>
/// Failure injection and pacing for demo jobs, read from <c>params.simulate</c>:
/// <c>{"fail_attempts": 1}</c>, <c>{"permanent": "reason"}</c>, <c>{"work_ms": 40}</c>.
/// </summary>
internal sealed class DemoSimulation
{
    /// <summary>Attempts 1..n throw a transient exception (retried); later attempts proceed.</summary>
    [JsonPropertyName("fail_attempts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FailAttempts { get; init; }

    /// <summary>When set, every attempt returns a permanent failure with this reason.</summary>
    [JsonPropertyName("permanent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Permanent { get; init; }

    /// <summary>Simulated work time in milliseconds; the handler's own default when absent.</summary>
    [JsonPropertyName("work_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? WorkMilliseconds { get; init; }
}
