using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>A type's runner pool's canary as the overview shows it (<see cref="TypeView.Canary"/>).</summary>
/// <param name="Pool">The runner pool.</param>
/// <param name="Release">The canary's release.</param>
/// <param name="State">Its state (wire name).</param>
/// <param name="Weight">Percent of the pool's jobs it gets.</param>
/// <param name="Verdict">The judge's last verdict (wire name).</param>
internal sealed record TypeCanaryView(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("release")] string? Release,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("verdict")] string Verdict);
