using System.Text.Json.Serialization;
using Courier.Dispatching.Cancelling;

namespace Courier.Server.Control;

/// <summary>The answer of <c>POST /v1/jobs/{id}/cancel</c>.</summary>
/// <param name="Record">The cancel record written.</param>
/// <param name="RanHere">True when the job was running on this dispatcher and is cancelled.</param>
/// <param name="Store">The state store it was recorded in, or null without one.</param>
/// <param name="StoreError">Why the state store could not record it, or null.</param>
/// <param name="Message">What was done, for a person.</param>
internal sealed record CancelAnswer(
    [property: JsonPropertyName("record")] CancelRecord Record,
    [property: JsonPropertyName("ran_here")] bool RanHere,
    [property: JsonPropertyName("store")] string? Store,
    [property: JsonPropertyName("store_error")] string? StoreError,
    [property: JsonPropertyName("message")] string Message);
