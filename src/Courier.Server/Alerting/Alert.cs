using System.Text.Json.Serialization;

namespace Courier.Server.Alerting;

/// <summary>
/// One alert of the built-in watcher, as <c>GET /v1/alerts</c>, <c>courier alerts --json</c> and the receivers show it.
/// Its labels follow the shipped Prometheus rules (<c>alertname</c>, <c>severity</c>, <c>job_type</c>, …) plus
/// <c>service</c> (the configured service name) and <c>instance</c> (this host), which downtimes match on.
/// </summary>
internal sealed record Alert
{
    /// <summary>The alert's name, e.g. <c>CourierJobTypeFailing</c>; also its <c>alertname</c> label.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Firing or resolved.</summary>
    [JsonPropertyName("state")]
    [JsonConverter(typeof(JsonStringEnumConverter<AlertState>))]
    public required AlertState State { get; init; }

    /// <summary>Every label, <c>alertname</c>, <c>service</c> and <c>instance</c> included; what identifies the alert.</summary>
    [JsonPropertyName("labels")]
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>One line for a person: what is wrong, with the figure that shows it.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>What to look at next.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The value of the condition at the last evaluation (a ratio, a count, seconds).</summary>
    [JsonPropertyName("value")]
    public double? Value { get; init; }

    /// <summary>Since when the condition has held (the start of firing, its <c>for</c> duration included).</summary>
    [JsonPropertyName("since")]
    public required DateTimeOffset Since { get; init; }

    /// <summary>When it resolved; null while firing.</summary>
    [JsonPropertyName("resolved_at")]
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Whether a downtime silences it now: it is still listed, but not delivered to receivers.</summary>
    [JsonPropertyName("silenced")]
    public bool Silenced { get; init; }

    /// <summary>The comment of the downtime that silences it, when one does.</summary>
    [JsonPropertyName("silenced_by")]
    public string? SilencedBy { get; init; }
}
