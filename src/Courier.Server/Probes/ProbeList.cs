using System.Text.Json.Serialization;

namespace Courier.Server.Probes;

/// <summary>The body of <c>GET /v1/probes</c>: <c>{"probes":[...]}</c>, by type.</summary>
/// <param name="Probes">The synthetic probe results per type.</param>
internal sealed record ProbeList([property: JsonPropertyName("probes")] IReadOnlyList<ProbeStatus> Probes);
