using System.Text.Json.Serialization;

namespace Courier.Dispatching.History;

/// <summary>One failure message of a job type and release, and how many failed attempts gave it.</summary>
/// <param name="Message">The message, cut at <see cref="OutcomeHistory.MaxMessageLength"/> characters (<see cref="OutcomeHistory.OtherMessages"/> for the messages past the bound).</param>
/// <param name="Count">Failed attempts with that message.</param>
public sealed record ErrorCount([property: JsonPropertyName("message")] string Message, [property: JsonPropertyName("count")] long Count);
