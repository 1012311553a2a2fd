using System.Text.Json.Serialization;

namespace Courier.Server.Check;

/// <summary>A job type the dispatcher has paused (by hand or by its breaker): it fails the check.</summary>
/// <param name="Type">The job type.</param>
/// <param name="Reason">Why it is paused.</param>
/// <param name="Since">Since when.</param>
internal sealed record PausedTypeCheck(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("since")] DateTimeOffset? Since);
