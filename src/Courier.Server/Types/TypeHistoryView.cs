using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>
/// Sampled history of one type (or of all types added up) over the last hour, as uPlot reads it: one time axis and
/// series of the same length (<c>GET /v1/types/history</c>, the console's charts).
/// </summary>
internal sealed record TypeHistoryView
{
    /// <summary>The type, or null for all types together.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    /// <summary>Seconds between samples.</summary>
    [JsonPropertyName("interval_seconds")] public double IntervalSeconds { get; init; }
    /// <summary>Sample times, Unix seconds, oldest first.</summary>
    [JsonPropertyName("times")] public required IReadOnlyList<long> Times { get; init; }
    /// <summary>Executions per second in each interval.</summary>
    [JsonPropertyName("throughput")] public required IReadOnlyList<double> Throughput { get; init; }
    /// <summary>Failed attempts (retried, held or dead-lettered) per second in each interval.</summary>
    [JsonPropertyName("failures")] public required IReadOnlyList<double> Failures { get; init; }
    /// <summary>Lag (records) at each sample.</summary>
    [JsonPropertyName("lag")] public required IReadOnlyList<double> Lag { get; init; }
}
