using System.Text.Json;
using System.Text.Json.Serialization;
using Courier.Canaries;

namespace Courier.Server.Canaries;

/// <summary>The body of <c>GET /v1/canaries</c>: <c>{"canaries":[...]}</c>, each a <see cref="CanaryStatus"/> in snake_case.</summary>
/// <param name="Canaries">The runner pools' canaries.</param>
internal sealed record CanaryList([property: JsonPropertyName("canaries")] IReadOnlyList<CanaryStatus> Canaries)
{
    /// <summary>snake_case names and states (<c>rolled_back</c>), as the endpoint writes and the CLI reads them.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
