using Courier.Runner.Http;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Intake;

/// <summary>
/// Writes the intake's JSON answers. The per-event results are streamed to the response as they are written (never
/// built whole in memory); only the first <see cref="DetailedRejections"/> rejected events carry their error text,
/// the others their index, id and reason, and <c>rejected_by_reason</c> counts them all.
/// </summary>
internal static class IntakeAnswer
{
    /// <summary>How many rejected events carry their <c>error</c> text in an answer.</summary>
    public const int DetailedRejections = 100;

    /// <summary>Longest error text in an answer, in characters; a longer one is cut and ends with '…'.</summary>
    public const int MaxErrorChars = 2000;

    private const int FlushBytes = 16 * 1024;

    public static async Task WriteResultsAsync(HttpContext context, int status, int accepted, ReadOnlyMemory<IntakeEventResult> results)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonAnswer.ContentType;
        var output = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(output, JsonAnswer.WriterOptions);
        var rejected = results.Length - accepted;
        writer.WriteStartObject();
        writer.WriteNumber("accepted", accepted);
        writer.WriteNumber("rejected", rejected);
        WriteCountsByReason(writer, results.Span);
        writer.WriteNumber("errors_omitted", Math.Max(0, rejected - DetailedRejections));
        writer.WriteStartArray("results");
        var detailed = 0;
        for (var i = 0; i < results.Length; i++)
        {
            WriteResult(writer, results.Span[i], ref detailed);
            if (writer.BytesPending >= FlushBytes)
            {
                writer.Flush();
                await output.FlushAsync(context.RequestAborted);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await output.FlushAsync(context.RequestAborted);
    }

    private static void WriteCountsByReason(Utf8JsonWriter writer, ReadOnlySpan<IntakeEventResult> results)
    {
        // Reasons are a closed set (malformed and the contract's reasons): a handful of entries at most.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.Reason is { } reason)
            {
                counts[reason] = counts.GetValueOrDefault(reason) + 1;
            }
        }
        writer.WriteStartObject("rejected_by_reason");
        foreach (var (reason, count) in counts)
        {
            writer.WriteNumber(reason, count);
        }
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, IntakeEventResult result, ref int detailed)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", result.Index);
        WriteStringOrNull(writer, "id", result.Id);
        WriteStringOrNull(writer, "type", result.Type);
        if (result.Error is null)
        {
            writer.WriteString("status", "accepted");
            if (result.Position is { } position)
            {
                writer.WriteString("topic", position.Topic);
                writer.WriteNumber("partition", position.Partition);
                writer.WriteNumber("offset", position.Offset);
            }
        }
        else
        {
            writer.WriteString("status", "rejected");
            writer.WriteString("error_class", FailureClass.Decode.ToWireName());
            writer.WriteString("reason", result.Reason);
            if (detailed++ < DetailedRejections)
            {
                writer.WriteString("error", Cut(result.Error));
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>The error, or its first characters and '…' (never half a surrogate pair, which JSON cannot carry).</summary>
    internal static string Cut(string error)
    {
        if (error.Length <= MaxErrorChars)
        {
            return error;
        }
        var length = char.IsHighSurrogate(error[MaxErrorChars - 2]) ? MaxErrorChars - 2 : MaxErrorChars - 1;
        return string.Concat(error.AsSpan(0, length), "…");
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
