using System.Text.Json.Serialization;

namespace Courier.Bench.Incident;

/// <summary>What stands between the broken release and the jobs in a round.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentGuard>))]
internal enum IncidentGuard
{
    /// <summary>The release is deployed as the pool's canary: the canary's judgement rolls it back.</summary>
    Canary,

    /// <summary>The release is deployed to the whole pool: the type's breaker pauses it.</summary>
    Breaker,
}
