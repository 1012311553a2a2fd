using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// One cancellation on the control topic (<see cref="TopicNames.ControlTopic"/>), keyed <c>cancel/&lt;job id&gt;</c>, as
/// JSON <c>{kind: "cancel", id, reason, by, at, ttl_seconds}</c>: every dispatcher that reads it fires the token of the
/// job if it runs there, and ends the job <c>cancelled</c> when it reaches it before <see cref="Expires"/>. Readers
/// that predate it skip it (its key is not a pause key).
/// </summary>
/// <param name="Id">The job's id (<c>meta.id</c>).</param>
/// <param name="Reason">Why, as the dispatchers' logs show it.</param>
/// <param name="By">Who asked: a user, a host, the console.</param>
/// <param name="At">When it was asked.</param>
/// <param name="TtlSeconds">How long after <paramref name="At"/> a job not reached yet is still cancelled when reached.</param>
public sealed record CancelRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("ttl_seconds")] long TtlSeconds)
{
    /// <summary>Prefix of the keys of cancel records.</summary>
    public const string KeyPrefix = "cancel/";

    /// <summary>The record kind, written so a reader can tell it from a pause without its key.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "cancel";

    /// <summary>The record's key: <c>cancel/&lt;id&gt;</c>.</summary>
    [JsonIgnore]
    public string Key => KeyPrefix + Id;

    /// <summary>When a job with this id, not reached yet, stops being cancelled on reaching it.</summary>
    [JsonIgnore]
    public DateTimeOffset Expires => At + TimeSpan.FromSeconds(TtlSeconds);

    /// <summary>The TTL as people write it: <c>7d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>.</summary>
    [JsonIgnore]
    public string TtlText => TtlSeconds switch
    {
        var s when s % 86_400 == 0 => $"{s / 86_400}d",
        var s when s % 3_600 == 0 => $"{s / 3_600}h",
        var s when s % 60 == 0 => $"{s / 60}m",
        var s => $"{s}s",
    };

    /// <summary>What the dispatchers log and count: the reason and who asked.</summary>
    [JsonIgnore]
    public string Because => $"{Reason} (by {By})";

    /// <summary>The record's value.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Reads a cancel record back; null for another key, a tombstone or a value that is not one (skipped, never fatal).</summary>
    public static CancelRecord? Read(string? key, ReadOnlySpan<byte> value)
    {
        if (key is null || !key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length == KeyPrefix.Length || value.IsEmpty)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CancelRecord>(value) is { } record && record.Id == key[KeyPrefix.Length..]
                && record.TtlSeconds > 0 ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
