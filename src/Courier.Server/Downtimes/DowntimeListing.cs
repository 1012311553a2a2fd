using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>
/// What <c>GET /v1/downtimes</c> answers and <c>courier downtime list --json</c> prints: the store's downtimes (pending
/// and active, or all with <c>all</c>) and the silences <c>courier downtime add</c> created in Alertmanager.
/// </summary>
internal sealed record DowntimeListing
{
    /// <summary>The store's file.</summary>
    [JsonPropertyName("store")] public required string Store { get; init; }
    /// <summary>Alertmanager's address, or null without one.</summary>
    [JsonPropertyName("alertmanager")] public string? Alertmanager { get; init; }
    /// <summary>The store's downtimes, by start.</summary>
    [JsonPropertyName("downtimes")] public required IReadOnlyList<DowntimeItem> Downtimes { get; init; }
    /// <summary>Alertmanager's silences created by Courier, by start.</summary>
    [JsonPropertyName("silences")] public required IReadOnlyList<SilenceItem> Silences { get; init; }

    /// <summary>Reads both stores of <paramref name="service"/>; with <paramref name="all"/>, ended, cancelled and expired ones too.</summary>
    public static async Task<DowntimeListing> ReadAsync(DowntimeService service, bool all, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var silences = service.Alertmanager is null
            ? []
            : (await service.Alertmanager.ListAsync(cancellationToken))
                .Where(s => s.GroupId is not null && (all || s.IsInForceOrPending))
                .OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal)
                .ToList();
        return new DowntimeListing
        {
            Store = service.Store.Path,
            Alertmanager = service.Alertmanager?.BaseUrl.AbsoluteUri,
            Downtimes = [.. service.Store.List(includeEnded: all).Select(d => DowntimeItem.From(d, now))],
            Silences = [.. silences.Select(SilenceItem.From)],
        };
    }
}
