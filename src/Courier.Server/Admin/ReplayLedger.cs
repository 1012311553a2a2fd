using System.Globalization;
using System.Text.Json;

namespace Courier.Server.Admin;

/// <summary>
/// The replay ledger's records (topic <c>&lt;service&gt;.dlq.replays</c>): key = the replayed dead letter's position,
/// value = <c>{"target_topic": "...", "at": "ISO 8601"}</c>. Written by <see cref="DeadLetterReplayer"/>, read by
/// <see cref="DeadLetterStore"/> and the dead-letter index.
/// </summary>
internal static class ReplayLedger
{
    /// <summary>The ledger record of a replay of <paramref name="deadLetter"/> to <paramref name="targetTopic"/>.</summary>
    public static OutgoingRecord Entry(string ledgerTopic, TopicPartitionOffset deadLetter, string targetTopic, DateTimeOffset at) =>
        new(ledgerTopic, LogPosition.Format(deadLetter), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["target_topic"] = targetTopic,
            ["at"] = at.ToString("O", CultureInfo.InvariantCulture),
        }));

    /// <summary>Reads a ledger record: the dead letter's position, the target topic ("?" when unreadable) and when, if known.</summary>
    public static bool TryRead(LogRecord record, out TopicPartitionOffset deadLetter, out string targetTopic, out DateTimeOffset? at)
    {
        ArgumentNullException.ThrowIfNull(record);
        targetTopic = "?";
        at = null;
        if (!LogPosition.TryParse(record.Key, out deadLetter))
        {
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(record.Value);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("target_topic", out var t) && t.GetString() is { } topic)
                {
                    targetTopic = topic;
                }
                if (doc.RootElement.TryGetProperty("at", out var a) && a.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when))
                {
                    at = when;
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable value still records that the position was replayed.
        }
        return true;
    }
}
