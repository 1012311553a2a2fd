namespace Courier.Server.Downtimes;

/// <summary>What one add wrote: the stored downtime, and the id of its Alertmanager silence when one is configured.</summary>
/// <param name="Downtime">The store's record (its id and group id).</param>
/// <param name="SilenceId">Alertmanager's silence id, or null without an Alertmanager.</param>
internal sealed record AddedDowntime(Downtime Downtime, string? SilenceId);
