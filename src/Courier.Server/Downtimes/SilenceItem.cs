using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>An Alertmanager silence as <c>GET /v1/downtimes</c> and <c>courier downtime list --json</c> write it.</summary>
internal sealed record SilenceItem
{
    /// <summary>Alertmanager's id.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>The group id of the add that created it; null for a silence Courier did not create.</summary>
    [JsonPropertyName("group_id")] public string? GroupId { get; init; }
    /// <summary>Its matchers, e.g. <c>service="courier"</c>, <c>instance=~"^(mw1.*)(:\d+)?$"</c>.</summary>
    [JsonPropertyName("matchers")] public required IReadOnlyList<string> Matchers { get; init; }
    /// <summary>The start.</summary>
    [JsonPropertyName("starts_at")] public required DateTimeOffset StartsAt { get; init; }
    /// <summary>The end.</summary>
    [JsonPropertyName("ends_at")] public required DateTimeOffset EndsAt { get; init; }
    /// <summary>Alertmanager's state: <c>pending</c>, <c>active</c> or <c>expired</c>.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    /// <summary>The comment.</summary>
    [JsonPropertyName("comment")] public required string Comment { get; init; }
    /// <summary>Its creator.</summary>
    [JsonPropertyName("created_by")] public required string CreatedBy { get; init; }

    /// <summary>The item of <paramref name="silence"/>.</summary>
    public static SilenceItem From(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        return new SilenceItem
        {
            Id = silence.Id,
            GroupId = silence.GroupId,
            Matchers = [.. silence.Matchers.Select(m => m.ToString())],
            StartsAt = silence.StartsAt,
            EndsAt = silence.EndsAt,
            State = silence.State,
            Comment = silence.Comment,
            CreatedBy = silence.CreatedBy,
        };
    }

    /// <summary>The value of the matcher on <paramref name="label"/> (<c>service</c>, <c>instance</c>), or empty.</summary>
    public string MatcherValue(string label)
    {
        var prefix = label + "=";
        var matcher = Matchers.FirstOrDefault(m => m.StartsWith(prefix, StringComparison.Ordinal));
        return matcher is null ? "" : matcher[prefix.Length..].TrimStart('~').Trim('"');
    }
}
