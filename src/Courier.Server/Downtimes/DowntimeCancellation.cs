using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>
/// What <c>POST /v1/downtimes/cancel</c> answers: what matched (store downtimes and Alertmanager silences), and unless
/// it was a dry run the ids of the downtimes cancelled and the silences expired.
/// </summary>
internal sealed record DowntimeCancellation
{
    /// <summary>True when nothing was changed.</summary>
    [JsonPropertyName("dry_run")] public bool DryRun { get; init; }
    /// <summary>The store's downtimes that matched.</summary>
    [JsonPropertyName("downtimes")] public required IReadOnlyList<DowntimeItem> Downtimes { get; init; }
    /// <summary>Alertmanager's silences that matched.</summary>
    [JsonPropertyName("silences")] public required IReadOnlyList<SilenceItem> Silences { get; init; }
    /// <summary>Ids of the store's downtimes cancelled (empty in a dry run).</summary>
    [JsonPropertyName("cancelled")] public required IReadOnlyList<string> Cancelled { get; init; }
    /// <summary>Ids of the silences expired (empty in a dry run).</summary>
    [JsonPropertyName("expired_silences")] public required IReadOnlyList<string> ExpiredSilences { get; init; }
    /// <summary>One line for a person.</summary>
    [JsonPropertyName("message")] public required string Message { get; init; }

    /// <summary>Finds what <paramref name="match"/> takes and, unless <paramref name="dryRun"/>, cancels it; null when nothing matches.</summary>
    public static async Task<DowntimeCancellation?> RunAsync(DowntimeService service, CommentMatch match, bool dryRun, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(match);
        var matches = await service.FindAsync(match, cancellationToken);
        if (matches.IsEmpty)
        {
            return null;
        }
        var expired = new List<string>();
        var cancelled = dryRun ? [] : await service.CancelAsync(matches, expired.Add, cancellationToken);
        return new DowntimeCancellation
        {
            DryRun = dryRun,
            Downtimes = [.. matches.Downtimes.Select(d => DowntimeItem.From(d, now))],
            Silences = [.. matches.Silences.Select(SilenceItem.From)],
            Cancelled = cancelled,
            ExpiredSilences = expired,
            Message = dryRun
                ? $"Dry run: {Counts(matches.Downtimes.Count, matches.Silences.Count)} match; nothing changed."
                : $"Cancelled {Counts(cancelled.Count, expired.Count)} with the {match}.",
        };
    }

    /// <summary>Why nothing was cancelled: no downtime matches <paramref name="match"/> in <paramref name="service"/>'s stores.</summary>
    public static string NothingMatches(DowntimeService service, CommentMatch match)
    {
        ArgumentNullException.ThrowIfNull(service);
        return $"no pending or active downtime has the {match} (store {service.Store.Path}"
            + (service.Alertmanager is null ? "; no Alertmanager configured)" : $", Alertmanager {service.Alertmanager.BaseUrl})");
    }

    /// <summary><c>1 store downtime and 2 Alertmanager silences</c>.</summary>
    public static string Counts(int downtimes, int silences) =>
        $"{downtimes} store downtime{(downtimes == 1 ? "" : "s")} and {silences} Alertmanager silence{(silences == 1 ? "" : "s")}";
}
