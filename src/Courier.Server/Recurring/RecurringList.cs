using System.Text.Json;
using System.Text.Json.Serialization;
using Courier.Recurring;

namespace Courier.Server.Recurring;

/// <summary>The body of <c>GET /v1/recurring</c>: <c>{"recurring":[...]}</c>, each a <see cref="RecurringStatus"/> in snake_case.</summary>
/// <param name="Recurring">The dispatcher's recurring jobs, by name.</param>
internal sealed record RecurringList([property: JsonPropertyName("recurring")] IReadOnlyList<RecurringStatus> Recurring)
{
    /// <summary>snake_case names, as the endpoint writes and the CLI reads them.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
