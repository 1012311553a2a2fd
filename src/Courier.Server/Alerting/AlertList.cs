using System.Text.Json.Serialization;

namespace Courier.Server.Alerting;

/// <summary>The body of <c>GET /v1/alerts</c> and of a webhook delivery: <c>{"alerts":[...]}</c>, firing first.</summary>
internal sealed record AlertList(
    [property: JsonPropertyName("alerts")] IReadOnlyList<Alert> Alerts);
