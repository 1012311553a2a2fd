namespace Courier.Server.Downtimes;

/// <summary>What a cancel by comment takes: the store's downtimes and Alertmanager's silences, pending or in force.</summary>
/// <param name="Downtimes">From the embedded store.</param>
/// <param name="Silences">From Alertmanager (empty without one).</param>
internal sealed record DowntimeMatches(IReadOnlyList<Downtime> Downtimes, IReadOnlyList<Silence> Silences)
{
    /// <summary>Whether nothing matched in either store.</summary>
    public bool IsEmpty => Downtimes.Count == 0 && Silences.Count == 0;
}
