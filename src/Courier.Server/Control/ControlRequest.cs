using System.Text.Json.Serialization;

namespace Courier.Server.Control;

/// <summary>The optional body of a pause or resume request.</summary>
/// <param name="Reason">Why (pause only).</param>
/// <param name="By">Who asks.</param>
public sealed record ControlRequest(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("by")] string? By);
