using System.Text.Json.Serialization;
using Courier.Dispatching.History;

namespace Courier.Server.Check;

/// <summary>One job type's verdict: its window against its baseline (all releases together), and the window per release.</summary>
internal sealed record TypeCheck
{
    /// <summary>The job type.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary><c>pass</c>, <c>fail</c> or <c>no_data</c> (<see cref="CheckVerdicts"/>).</summary>
    [JsonPropertyName("verdict")]
    public required string Verdict { get; init; }

    /// <summary>Why it fails, or why there is no data; empty on a pass.</summary>
    [JsonPropertyName("reasons")]
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The window, all releases together (release <c>*</c>).</summary>
    [JsonPropertyName("window")]
    public required OutcomeTally Window { get; init; }

    /// <summary>The baseline, all releases together (release <c>*</c>).</summary>
    [JsonPropertyName("baseline")]
    public required OutcomeTally Baseline { get; init; }

    /// <summary>The window per release that ran the type, the most failures first.</summary>
    [JsonPropertyName("releases")]
    public IReadOnlyList<OutcomeTally> Releases { get; init; } = [];
}
