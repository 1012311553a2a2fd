using System.Text.Json.Serialization;

namespace Courier.Server.OpenApi;

/// <summary>The admin API's error body, <c>{"error": "..."}</c>, with 400, 404 or 409.</summary>
/// <param name="Error">What went wrong, for a person.</param>
internal sealed record ApiError([property: JsonPropertyName("error")] string Error);
