using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Globalization;

namespace Courier.Server.Admin;

/// <summary>
/// Dead letters as JSON objects (snake_case): one shape for <c>courier dlq --json</c> and the admin API
/// (<c>/v1/dead-letters</c>).
/// </summary>
internal static class DeadLetterJson
{
    /// <summary>The fields of a dead letter a list shows (no headers, no event).</summary>
    public static JsonObject Summary(DeadLetterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var d = entry.DeadLetter;
        return new JsonObject
        {
            ["position"] = LogPosition.Format(d.Position),
            ["topic"] = d.Position.Topic,
            ["partition"] = d.Position.Partition,
            ["offset"] = d.Position.Offset,
            ["key"] = d.Key,
            ["job_type"] = d.JobType,
            ["job_id"] = d.JobId,
            ["class"] = d.Class?.ToWireName(),
            ["message"] = d.Message,
            ["attempts"] = d.Attempts,
            ["origin_topic"] = d.OriginTopic,
            ["executor"] = d.Executor,
            ["release"] = d.Release,
            ["producer_version"] = d.ProducerVersion,
            ["dispatcher_version"] = d.DispatcherVersion,
            ["first_attempt_at"] = d.FirstAttemptAt is null ? null : Time(d.FirstAttemptAt),
            ["failed_at"] = d.FailedAt is null ? null : Time(d.FailedAt),
            ["timestamp"] = Time(entry.Timestamp),
            ["replayed"] = entry.ReplayedTo is not null,
            ["replayed_to_topic"] = entry.ReplayedTo,
        };
    }

    /// <summary>
    /// Everything: the summary, every header (text where UTF-8, else <c>base64:…</c>) and the original event (JSON
    /// when it parses, else <c>event_text</c> or <c>event_base64</c>).
    /// </summary>
    public static JsonObject Full(DeadLetterEntry entry)
    {
        var o = Summary(entry);
        var headers = new JsonObject();
        foreach (var header in entry.Headers)
        {
            headers[header.Key] = HeaderText(header.Value);
        }
        o["headers"] = headers;
        var raw = entry.DeadLetter.OriginalEvent;
        o["event_bytes"] = raw.Length;
        if (TryParseJson(raw) is { } parsed)
        {
            o["event"] = parsed;
        }
        else if (TryUtf8(raw) is { } text)
        {
            o["event"] = null;
            o["event_text"] = text;
        }
        else
        {
            o["event"] = null;
            o["event_base64"] = Convert.ToBase64String(raw.Span);
        }
        return o;
    }

    /// <summary>
    /// What a replay did or would do: counts, counts by type and class, each record (from, to topic, to position),
    /// and what was left over beyond one request's bound.
    /// </summary>
    public static JsonObject Replay(DeadLetterReplay result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var types = new JsonObject();
        foreach (var group in result.Replayed.GroupBy(r => r.DeadLetter.JobType ?? "?", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var classes = new JsonObject();
            foreach (var c in group.GroupBy(r => r.DeadLetter.Class?.ToWireName() ?? "unknown", StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                classes[c.Key] = c.Count();
            }
            types[group.Key] = classes;
        }
        return new JsonObject
        {
            ["dry_run"] = result.DryRun,
            ["replayed"] = result.Replayed.Count,
            ["already_replayed"] = result.AlreadyReplayed,
            ["unroutable"] = result.Unroutable.Count,
            ["left_over"] = result.LeftOver,
            ["by_type"] = types,
            ["records"] = new JsonArray(result.Replayed.Select(r => (JsonNode)new JsonObject
            {
                ["from"] = LogPosition.Format(r.DeadLetter.Position),
                ["to_topic"] = r.TargetTopic,
                ["to"] = r.ReplayedTo is { } to ? LogPosition.Format(to) : null,
            }).ToArray()),
            ["unroutable_positions"] = new JsonArray(result.Unroutable.Select(d => (JsonNode)JsonValue.Create(LogPosition.Format(d.Position))!).ToArray()),
        };
    }

    /// <summary>A replay's status (<see cref="IDeadLetterBrowser.ReplayStatusAsync"/>), or null.</summary>
    public static JsonObject? Status(ReplayStatus? status) => status is null ? null : new JsonObject
    {
        ["replayed_to"] = status.ReplayedTo,
        ["outcome"] = status.Outcome,
        ["at"] = status.At is null ? null : Time(status.At),
        ["dead_lettered_again_at"] = status.DeadLetteredAgainAt,
    };

    /// <summary>A time as ISO 8601 (round-trip).</summary>
    public static string Time(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The value as JSON, or null when it does not parse.</summary>
    public static JsonNode? TryParseJson(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonNode.Parse(bytes.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The value as strict UTF-8 text, or null when it is not.</summary>
    public static string? TryUtf8(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A header's value as text where UTF-8, else <c>base64:…</c>.</summary>
    public static string HeaderText(byte[] value) => TryUtf8(value) ?? "base64:" + Convert.ToBase64String(value);
}
