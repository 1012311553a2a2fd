using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Intake;

/// <summary>
/// Splits an intake body, a JSON array of job events or a single job event object, into one slice per event without
/// decoding them; the excess over the event limit is found while splitting, so a body of millions of tiny entries costs
/// no more than the limit.
/// </summary>
internal static class IntakeBody
{
    private static readonly JsonReaderOptions ArrayReaderOptions = new() { MaxDepth = 66 };

    /// <summary>
    /// Adds each element of the top-level array, or the top-level object as the one event, to <paramref name="slices"/>
    /// (start, length); a refusal when the body is neither an object nor a non-empty array (400) or holds more than
    /// <paramref name="maxEvents"/> elements (413).
    /// </summary>
    public static IntakeRefusal? Split(ReadOnlySpan<byte> body, int maxEvents, List<(int Start, int Length)> slices)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return BadRequest("the body is empty: post a job event or a JSON array of job events");
        }
        var reader = new Utf8JsonReader(body, ArrayReaderOptions);
        var closed = false;
        var what = "array";
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // One event, as EventGate takes it: the object's own bytes, checked and answered like an array of one.
                what = "object";
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var length = (int)reader.BytesConsumed - start;
                closed = true;
                reader.Read();
                slices.Add((start, length));
                return null;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return BadRequest($"the body must be a job event (a JSON object) or a JSON array of job events, got {Kind(reader.TokenType)}");
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (slices.Count == maxEvents)
                {
                    return new IntakeRefusal(StatusCodes.Status413PayloadTooLarge,
                        $"the array holds more than {maxEvents} events, the limit of one request: post them in several requests");
                }
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                slices.Add((start, (int)reader.BytesConsumed - start));
            }
            closed = reader.TokenType == JsonTokenType.EndArray;
            reader.Read();
        }
        catch (JsonException e)
        {
            return BadRequest(closed
                ? $"the body has more after the {what} (at byte {reader.BytesConsumed})"
                : $"the body is not valid JSON: {e.Message}");
        }
        return slices.Count == 0 ? BadRequest("the array holds no events") : null;
    }

    private static IntakeRefusal BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
