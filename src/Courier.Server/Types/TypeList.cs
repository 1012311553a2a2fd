using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>The body of <c>GET /v1/types</c>: <c>{"types":[...]}</c>, by name.</summary>
/// <param name="Types">Every type the dispatcher knows.</param>
internal sealed record TypeList([property: JsonPropertyName("types")] IReadOnlyList<TypeView> Types);
