using System.Text.Json.Serialization;

namespace Courier.Server.Intake;

/// <summary>
/// The shape of <c>POST /v1/events</c>'s answer, which <see cref="IntakeAnswer"/> streams: counts, and per event
/// where it was appended or why it was refused. For the OpenAPI description and clients that read it.
/// </summary>
internal sealed record IntakeResults
{
    /// <summary>Events appended.</summary>
    [JsonPropertyName("accepted")] public int Accepted { get; init; }
    /// <summary>Events refused.</summary>
    [JsonPropertyName("rejected")] public int Rejected { get; init; }
    /// <summary>Refused events by reason.</summary>
    [JsonPropertyName("rejected_by_reason")] public IReadOnlyDictionary<string, int> RejectedByReason { get; init; } = new Dictionary<string, int>();
    /// <summary>Refused events whose error text is left out (past the first ones).</summary>
    [JsonPropertyName("errors_omitted")] public int ErrorsOmitted { get; init; }
    /// <summary>One result per event, in order.</summary>
    [JsonPropertyName("results")] public IReadOnlyList<IntakeResult> Results { get; init; } = [];
}

/// <summary>One event's result in <see cref="IntakeResults"/>.</summary>
internal sealed record IntakeResult
{
    /// <summary>The event's index in the request.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }
    /// <summary>Its <c>meta.id</c>, when it has one.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>Its job type, when it has one.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    /// <summary><c>accepted</c> or <c>rejected</c>.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    /// <summary>Where it was appended (accepted).</summary>
    [JsonPropertyName("topic")] public string? Topic { get; init; }
    /// <summary>Its partition (accepted).</summary>
    [JsonPropertyName("partition")] public int? Partition { get; init; }
    /// <summary>Its offset (accepted).</summary>
    [JsonPropertyName("offset")] public long? Offset { get; init; }
    /// <summary><c>decode</c> (rejected).</summary>
    [JsonPropertyName("error_class")] public string? ErrorClass { get; init; }
    /// <summary>Why, as a reason code (rejected).</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    /// <summary>Why, for a person (rejected; left out past the first ones).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
