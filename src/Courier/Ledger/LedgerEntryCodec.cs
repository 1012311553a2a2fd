using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Courier.Ledger;

/// <summary>
/// The outcome ledger's record value: one small JSON object,
/// <c>{"id","type","topic","partition","offset","outcome","class","attempt","release","dispatcher","replay_of","at"}</c>
/// (<c>at</c> in Unix milliseconds; null members left out). Decoding is strict about the members it needs and
/// ignores ones it does not know, so a newer dispatcher's entries stay readable by an older audit.
/// </summary>
public static class LedgerEntryCodec
{
    // One buffer and writer per thread: an entry is encoded per terminal outcome, on the worker that routed it, and a
    // writer, its buffer and the buffer's array each time cost more than the entry's bytes.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>The entry as the ledger record's value (UTF-8 JSON).</summary>
    public static byte[] Encode(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = t_json;
        if (json is null)
        {
            t_json = json = new Utf8JsonWriter(buffer);
        }
        else
        {
            json.Reset(buffer);
        }
        json.WriteStartObject();
        if (entry.JobId is not null)
        {
            json.WriteString("id", entry.JobId);
        }
        json.WriteString("type", entry.Type);
        json.WriteString("topic", entry.Origin.Topic);
        json.WriteNumber("partition", entry.Origin.Partition);
        json.WriteNumber("offset", entry.Origin.Offset);
        json.WriteString("outcome", entry.Outcome);
        WriteIfSet(json, "class", entry.Class);
        json.WriteNumber("attempt", entry.Attempt);
        WriteIfSet(json, "release", entry.Release);
        WriteIfSet(json, "dispatcher", entry.Dispatcher);
        WriteIfSet(json, "replay_of", entry.ReplayOf);
        json.WriteNumber("at", entry.At.ToUnixTimeMilliseconds());
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a ledger record's value; false (with why) when it is not an entry.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, [NotNullWhen(true)] out LedgerEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        try
        {
            var reader = new Utf8JsonReader(value, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }
            if (!TryString(root, "type", out var type) || !TryString(root, "topic", out var topic)
                || !TryString(root, "outcome", out var outcome))
            {
                error = "type, topic and outcome must be strings";
                return false;
            }
            if (!TryLong(root, "partition", out var partition) || partition is < 0 or > int.MaxValue
                || !TryLong(root, "offset", out var offset) || offset < 0 || !TryLong(root, "at", out var at))
            {
                error = "partition, offset and at must be non-negative integers";
                return false;
            }
            entry = new LedgerEntry
            {
                JobId = OptionalString(root, "id"),
                Type = type,
                Origin = new TopicPartitionOffset(topic, (int)partition, offset),
                Outcome = outcome,
                Class = OptionalString(root, "class"),
                Attempt = TryLong(root, "attempt", out var attempt) && attempt is > 0 and <= int.MaxValue ? (int)attempt : 1,
                Release = OptionalString(root, "release"),
                Dispatcher = OptionalString(root, "dispatcher"),
                ReplayOf = OptionalString(root, "replay_of"),
                At = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(at, 0, 253402300799999)),
            };
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return false;
        }
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static bool TryString(JsonElement root, string name, [NotNullWhen(true)] out string? value)
    {
        value = root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private static bool TryLong(JsonElement root, string name, out long value)
    {
        value = 0;
        return root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }
}
