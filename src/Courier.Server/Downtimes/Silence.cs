namespace Courier.Server.Downtimes;

/// <summary>
/// An Alertmanager silence, as its v2 API returns it. Courier's are those whose <see cref="CreatedBy"/> carries
/// <see cref="GroupMarker"/>: Alertmanager 0.25 (Debian's) has no silence annotations, so <c>courier downtime add</c>
/// writes the group id into the creator, <c>user@host courier-downtime:&lt;group&gt;</c>.
/// </summary>
internal sealed record Silence
{
    /// <summary>What precedes the group id in <see cref="CreatedBy"/>.</summary>
    public const string GroupMarker = "courier-downtime:";

    /// <summary>Alertmanager's id (empty before it is created).</summary>
    public string Id { get; init; } = "";

    /// <summary>All must match for an alert to be silenced.</summary>
    public required IReadOnlyList<SilenceMatcher> Matchers { get; init; }

    /// <summary>The start.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>The end.</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>The creator.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>The comment.</summary>
    public required string Comment { get; init; }

    /// <summary><c>pending</c>, <c>active</c> or <c>expired</c> (empty before it is created).</summary>
    public string State { get; init; } = "";

    /// <summary>Whether it still silences or will (active or pending), so cancelling it means something.</summary>
    public bool IsInForceOrPending => State is "active" or "pending";

    /// <summary>The group id of the downtime that created it, or null for a silence Courier did not create.</summary>
    public string? GroupId
    {
        get
        {
            var at = CreatedBy.LastIndexOf(GroupMarker, StringComparison.Ordinal);
            return at < 0 ? null : CreatedBy[(at + GroupMarker.Length)..];
        }
    }

    /// <summary>
    /// The silence of a downtime request in group <paramref name="groupId"/>: <c>service="S"</c> and
    /// <c>instance=~"&lt;the hosts' regex&gt;"</c>, the same start and end, the comment unchanged.
    /// </summary>
    public static Silence For(DowntimeRequest request, string groupId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new Silence
        {
            Matchers =
            [
                new SilenceMatcher("service", request.Service, IsRegex: false),
                new SilenceMatcher("instance", Downtime.ToRegex(request.Hosts), IsRegex: true),
            ],
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            CreatedBy = $"{request.CreatedBy} {GroupMarker}{groupId}",
            Comment = request.Comment,
        };
    }
}
