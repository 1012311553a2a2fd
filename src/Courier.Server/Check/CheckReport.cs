using System.Text.Json.Serialization;
using Courier.Server.Alerting;

namespace Courier.Server.Check;

/// <summary>
/// The answer of <c>GET /v1/check</c> and <c>courier check --json</c>: the verdict, why, and the figures per job type
/// and release it was reached from.
/// </summary>
internal sealed record CheckReport
{
    /// <summary><c>pass</c>, <c>fail</c> or <c>no_data</c> (<see cref="CheckVerdicts"/>).</summary>
    [JsonPropertyName("verdict")]
    public required string Verdict { get; init; }

    /// <summary>Every reason the check fails (each failing type's, the alerts', the paused types'), or why there is no data.</summary>
    [JsonPropertyName("reasons")]
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The window and baseline compared.</summary>
    [JsonPropertyName("window")]
    public required CheckWindow Window { get; init; }

    /// <summary>The thresholds applied.</summary>
    [JsonPropertyName("thresholds")]
    public required CheckThresholds Thresholds { get; init; }

    /// <summary>Each job type seen in the window or the baseline, failing ones first.</summary>
    [JsonPropertyName("types")]
    public IReadOnlyList<TypeCheck> Types { get; init; } = [];

    /// <summary>The firing, unsilenced alerts of severity page (a rolled-back canary among them).</summary>
    [JsonPropertyName("alerts")]
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>The paused job types.</summary>
    [JsonPropertyName("paused")]
    public IReadOnlyList<PausedTypeCheck> Paused { get; init; } = [];
}
