using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courier.Dispatching.Control;

/// <summary>
/// One record of the control topic (<see cref="TopicNames.ControlTopic"/>): an operator's pause or resume of a job
/// type, keyed <c>pause/&lt;type&gt;</c>, as JSON <c>{type, paused, reason, by, at}</c>. The latest record of a key wins;
/// a tombstone (no value) is a resume.
/// </summary>
/// <param name="Type">The job type.</param>
/// <param name="Paused">True to pause, false to resume.</param>
/// <param name="Reason">Why (a pause's reason as stats and alerts show it); null for a resume.</param>
/// <param name="By">Who asked: a user, a host, the console.</param>
/// <param name="At">When it was asked.</param>
public sealed record ControlRecord(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("paused")] bool Paused,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("at")] DateTimeOffset At)
{
    /// <summary>Prefix of the keys of pause records.</summary>
    public const string PauseKeyPrefix = "pause/";

    /// <summary>The record's key: <c>pause/&lt;type&gt;</c>.</summary>
    public string Key => PauseKeyPrefix + Type;

    /// <summary>The record's value.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>
    /// Reads a control record back; a tombstone of a pause key is a resume. Null for a key that is not a pause key or a
    /// value that is not a control record (a newer writer's record kind: skipped, never fatal).
    /// </summary>
    public static ControlRecord? Read(string? key, ReadOnlySpan<byte> value, DateTimeOffset timestamp)
    {
        if (key is null || !key.StartsWith(PauseKeyPrefix, StringComparison.Ordinal) || key.Length == PauseKeyPrefix.Length)
        {
            return null;
        }
        var type = key[PauseKeyPrefix.Length..];
        if (value.IsEmpty)
        {
            return new ControlRecord(type, Paused: false, Reason: null, By: "tombstone", timestamp);
        }
        try
        {
            return JsonSerializer.Deserialize<ControlRecord>(value) is { } record && record.Type == type ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
