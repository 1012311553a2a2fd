using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Server.Admin;

namespace Courier.Cli.Rendering;

/// <summary>Dead letters as JSON objects (snake_case), for <c>--json</c> output.</summary>
internal static class DeadLetterJson
{
    public static JsonObject Summary(DeadLetterEntry entry)
    {
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
            ["first_attempt_at"] = d.FirstAttemptAt is null ? null : JsonOutput.Time(d.FirstAttemptAt),
            ["failed_at"] = d.FailedAt is null ? null : JsonOutput.Time(d.FailedAt),
            ["timestamp"] = JsonOutput.Time(entry.Timestamp),
            ["replayed"] = entry.ReplayedTo is not null,
            ["replayed_to_topic"] = entry.ReplayedTo,
        };
    }

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

    public static string HeaderText(byte[] value) => TryUtf8(value) ?? "base64:" + Convert.ToBase64String(value);
}
