using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>The dates of a job event: ISO-8601 date-times (UTC when no offset is given) and <c>delay_until</c> in UNIX seconds.</summary>
internal static class JobDateReader
{
    // UNIX seconds a DateTimeOffset can hold.
    private const decimal MinUnixSeconds = -62_135_596_800m;
    private const decimal MaxUnixSeconds = 253_402_300_799m;

    public static string? ReadDate(ref Utf8JsonReader reader, string path, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return $"{path}: must be an ISO-8601 date-time string, got {JsonPaths.Kind(reader.TokenType)}";
        }
        return TryGetDate(ref reader, out value) ? null : $"{path}: must be an ISO-8601 date-time, got {JsonFieldReader.QuoteValue(ref reader)}";
    }

    /// <summary>
    /// <c>delay_until</c>: an ISO-8601 string, or UNIX seconds as a number or numeric string — EventBus wrote
    /// <c>getReleaseTimestamp()</c> (TS_UNIX) until August 2019 (docs/original-system.md, "The job event").
    /// </summary>
    public static string? ReadDelayUntil(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        const string Path = "$.delay_until";
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var seconds) && TryFromUnixSeconds(seconds, out var fromNumber))
                {
                    value = fromNumber;
                    return null;
                }
                return $"{Path}: UNIX seconds out of range, got {Encoding.UTF8.GetString(reader.ValueSpan)}";
            case JsonTokenType.String:
                if (TryGetDate(ref reader, out var date))
                {
                    value = date;
                    return null;
                }
                if (!reader.ValueIsEscaped && IsDecimalNumber(reader.ValueSpan))
                {
                    if (Utf8Parser.TryParse(reader.ValueSpan, out decimal text, out var consumed) &&
                        consumed == reader.ValueSpan.Length && TryFromUnixSeconds(text, out var fromText))
                    {
                        value = fromText;
                        return null;
                    }
                    return $"{Path}: UNIX seconds out of range, got {JsonFieldReader.QuoteValue(ref reader)}";
                }
                return $"{Path}: must be an ISO-8601 date-time or UNIX seconds, got {JsonFieldReader.QuoteValue(ref reader)}";
            default:
                return $"{Path}: must be an ISO-8601 date-time string or UNIX seconds, got {JsonPaths.Kind(reader.TokenType)}";
        }
    }

    private static bool TryFromUnixSeconds(decimal seconds, out DateTimeOffset value)
    {
        if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
        {
            value = default;
            return false;
        }
        value = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static bool IsDecimalNumber(ReadOnlySpan<byte> text)
    {
        var i = text.Length > 0 && text[0] == (byte)'-' ? 1 : 0;
        var digits = 0;
        var dot = false;
        for (; i < text.Length; i++)
        {
            if (text[i] == (byte)'.' && !dot)
            {
                dot = true;
            }
            else if (char.IsAsciiDigit((char)text[i]))
            {
                digits++;
            }
            else
            {
                return false;
            }
        }
        return digits > 0;
    }

    /// <summary>
    /// Reads an ISO-8601 date-time. One without an offset is taken as UTC: the reader would otherwise apply the
    /// local zone of whichever machine decodes the record.
    /// </summary>
    private static bool TryGetDate(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        if (!reader.TryGetDateTimeOffset(out value))
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[64];
        scoped ReadOnlySpan<byte> text;
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
        }
        else if (reader.ValueSpan.Length <= buffer.Length)
        {
            text = buffer[..reader.CopyString(buffer)];
        }
        else
        {
            return true;
        }
        if (!HasOffset(text))
        {
            value = new DateTimeOffset(value.DateTime, TimeSpan.Zero);
        }
        return true;
    }

    private static bool HasOffset(ReadOnlySpan<byte> text)
    {
        var t = text.IndexOf((byte)'T');
        return t >= 0 && text[(t + 1)..].IndexOfAny("Zz+-"u8) >= 0;
    }
}
