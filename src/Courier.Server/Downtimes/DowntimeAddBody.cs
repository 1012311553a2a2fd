using System.Text.Json.Serialization;
using Courier.Server.Configuration;

namespace Courier.Server.Downtimes;

/// <summary>
/// The body of <c>POST /v1/downtimes</c>, as <c>courier downtime add</c>'s options: <c>{"service", "hosts", "duration"
/// (30m, 2h, 1d…), "comment", "force", "start" (ISO-8601; default now), "by"}</c>.
/// </summary>
internal sealed record DowntimeAddBody
{
    /// <summary>The service whose alerts are silenced.</summary>
    [JsonPropertyName("service")] public string? Service { get; init; }
    /// <summary>Comma-separated glob patterns of host names.</summary>
    [JsonPropertyName("hosts")] public string? Hosts { get; init; }
    /// <summary>How long: <c>30m</c>, <c>2h</c>, <c>1d</c>, or seconds.</summary>
    [JsonPropertyName("duration")] public string? Duration { get; init; }
    /// <summary>The canonical comment.</summary>
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    /// <summary>Allow a downtime longer than <see cref="DowntimeRequest.MaxDuration"/>.</summary>
    [JsonPropertyName("force")] public bool Force { get; init; }
    /// <summary>A later start; now when null.</summary>
    [JsonPropertyName("start")] public DateTimeOffset? Start { get; init; }
    /// <summary>Who asks; the caller's address when null.</summary>
    [JsonPropertyName("by")] public string? By { get; init; }

    /// <summary>
    /// The checked request (<see cref="DowntimeRequest.Check"/>, <see cref="DowntimeRequest.CheckStart"/>), or
    /// <see cref="ArgumentException"/> with the same message <c>courier downtime add</c> gives.
    /// </summary>
    public DowntimeRequest ToRequest(DateTimeOffset now, string defaultBy)
    {
        if (Duration is null || !Configuration.Duration.TryParse(Duration, out var duration))
        {
            throw new ArgumentException($"duration: '{Duration}' is not a duration ({Configuration.Duration.Help})");
        }
        var start = Start ?? now;
        try
        {
            DowntimeRequest.CheckStart(start, now);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"start: {e.Message}", e);
        }
        var request = new DowntimeRequest
        {
            Service = Service ?? "",
            Hosts = Hosts ?? "",
            StartsAt = start,
            Duration = duration,
            Comment = Comment ?? "",
            CreatedBy = string.IsNullOrWhiteSpace(By) ? defaultBy : By,
        };
        request.Check(now, Force);
        return request;
    }
}
