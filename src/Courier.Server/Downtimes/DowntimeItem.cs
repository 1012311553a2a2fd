using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>A stored downtime as <c>GET /v1/downtimes</c> and <c>courier downtime list --json</c> write it.</summary>
internal sealed record DowntimeItem
{
    /// <summary>The store's id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>The group id of the add that created it.</summary>
    [JsonPropertyName("group_id")] public required string GroupId { get; init; }
    /// <summary>The service silenced.</summary>
    [JsonPropertyName("service")] public required string Service { get; init; }
    /// <summary>The host patterns.</summary>
    [JsonPropertyName("hosts")] public required string Hosts { get; init; }
    /// <summary>The host patterns as the anchored expression over <c>instance</c>.</summary>
    [JsonPropertyName("hosts_regex")] public required string HostsRegex { get; init; }
    /// <summary>The start.</summary>
    [JsonPropertyName("starts_at")] public required DateTimeOffset StartsAt { get; init; }
    /// <summary>The end.</summary>
    [JsonPropertyName("ends_at")] public required DateTimeOffset EndsAt { get; init; }
    /// <summary><c>pending</c>, <c>active</c>, <c>ended</c> or <c>cancelled</c> when read.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>When it was cancelled, or null.</summary>
    [JsonPropertyName("cancelled_at")] public DateTimeOffset? CancelledAt { get; init; }
    /// <summary>The canonical comment.</summary>
    [JsonPropertyName("comment")] public required string Comment { get; init; }
    /// <summary>Who added it.</summary>
    [JsonPropertyName("created_by")] public required string CreatedBy { get; init; }

    /// <summary>The item of <paramref name="downtime"/>, its state at <paramref name="now"/>.</summary>
    public static DowntimeItem From(Downtime downtime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(downtime);
        return new DowntimeItem
        {
            Id = downtime.Id,
            GroupId = downtime.GroupId,
            Service = downtime.Service,
            Hosts = downtime.Hosts,
            HostsRegex = downtime.HostsRegex,
            StartsAt = downtime.StartsAt,
            EndsAt = downtime.EndsAt,
            State = downtime.StateAt(now).ToString().ToLowerInvariant(),
            CancelledAt = downtime.CancelledAt,
            Comment = downtime.Comment,
            CreatedBy = downtime.CreatedBy,
        };
    }
}
