namespace Courier.Bench.Incident;

/// <summary>The incident section: time to detect and to stop a broken runner release, per guard and engine.</summary>
internal sealed record IncidentResult
{
    /// <summary>Jobs per second of each type.</summary>
    public required int Rate { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public required IReadOnlyList<IncidentRound> Rounds { get; init; }

    public required IReadOnlyList<IncidentSummary> Summaries { get; init; }
}
