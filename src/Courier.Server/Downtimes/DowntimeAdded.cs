using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>What one add created, as <c>POST /v1/downtimes</c> answers and <c>courier downtime add --json</c> prints it.</summary>
internal sealed record DowntimeAdded
{
    /// <summary>The group id shared by what it created.</summary>
    [JsonPropertyName("group_id")] public required string GroupId { get; init; }
    /// <summary>The store's downtime id.</summary>
    [JsonPropertyName("downtime_id")] public required string DowntimeId { get; init; }
    /// <summary>Alertmanager's silence id, or null without one.</summary>
    [JsonPropertyName("silence_id")] public string? SilenceId { get; init; }
    /// <summary>Alertmanager's address, or null.</summary>
    [JsonPropertyName("alertmanager")] public string? Alertmanager { get; init; }
    /// <summary>The store's file.</summary>
    [JsonPropertyName("store")] public required string Store { get; init; }
    /// <summary>The service.</summary>
    [JsonPropertyName("service")] public required string Service { get; init; }
    /// <summary>The host patterns.</summary>
    [JsonPropertyName("hosts")] public required string Hosts { get; init; }
    /// <summary>The host patterns' expression over <c>instance</c>.</summary>
    [JsonPropertyName("hosts_regex")] public required string HostsRegex { get; init; }
    /// <summary>The start.</summary>
    [JsonPropertyName("starts_at")] public required DateTimeOffset StartsAt { get; init; }
    /// <summary>The end.</summary>
    [JsonPropertyName("ends_at")] public required DateTimeOffset EndsAt { get; init; }
    /// <summary>The comment.</summary>
    [JsonPropertyName("comment")] public required string Comment { get; init; }

    /// <summary>The answer for <paramref name="added"/>, written by <paramref name="service"/>.</summary>
    public static DowntimeAdded From(AddedDowntime added, DowntimeService service)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(service);
        var d = added.Downtime;
        return new DowntimeAdded
        {
            GroupId = d.GroupId,
            DowntimeId = d.Id,
            SilenceId = added.SilenceId,
            Alertmanager = service.Alertmanager?.BaseUrl.AbsoluteUri,
            Store = service.Store.Path,
            Service = d.Service,
            Hosts = d.Hosts,
            HostsRegex = d.HostsRegex,
            StartsAt = d.StartsAt,
            EndsAt = d.EndsAt,
            Comment = d.Comment,
        };
    }
}
