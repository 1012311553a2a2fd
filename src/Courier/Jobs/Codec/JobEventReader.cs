using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Courier.Internal;

namespace Courier.Jobs.Codec;

/// <summary>
/// The strict job event decoder: one forward pass of a <see cref="Utf8JsonReader"/> over the record. Every
/// failure is returned as "&lt;JSON path&gt;: &lt;rule&gt;"; nothing here throws for bad input.
/// </summary>
internal static class JobEventReader
{
    // Bits of the fields seen so far, so a repeated key is caught without a set.
    private const int SchemaBit = 1, MetaBit = 2, DatabaseBit = 4, TypeBit = 8, ParamsBit = 16, PageNamespaceBit = 32,
        PageTitleBit = 64, DelayUntilBit = 128, Sha1Bit = 256, RootEventBit = 512, SignatureBit = 1024;

    private const int IdBit = 1, DtBit = 2, StreamBit = 4, TopicBit = 8, DomainBit = 16, RequestIdBit = 32, UriBit = 64,
        ProducerBit = 128, ParamsVersionBit = 256;

    // UNIX seconds a DateTimeOffset can hold.
    private const decimal MinUnixSeconds = -62_135_596_800m;
    private const decimal MaxUnixSeconds = 253_402_300_799m;

    private static readonly JsonReaderOptions EventReaderOptions = new() { MaxDepth = 64 };
    private static readonly JsonDocumentOptions ParamsDocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>An empty params object (PHP's json_encode writes an empty params array as <c>[]</c>).</summary>
    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}"u8);

    public static JobDecodeResult Decode(ReadOnlySpan<byte> utf8Json, int maxEventBytes)
    {
        if (utf8Json.Length > maxEventBytes)
        {
            return Fail($"event is {utf8Json.Length} bytes; the limit is {maxEventBytes}");
        }
        if (utf8Json.IsEmpty)
        {
            return Fail("the record is empty (0 bytes); a job event is a JSON object");
        }
        if (!Utf8.IsValid(utf8Json))
        {
            return Fail($"not valid UTF-8 at byte {FirstInvalidUtf8Byte(utf8Json)}");
        }

        var reader = new Utf8JsonReader(utf8Json, EventReaderOptions);
        try
        {
            var error = ReadEvent(ref reader, utf8Json, out var jobEvent);
            if (error is null)
            {
                return new JobDecodeResult(jobEvent, null);
            }
            // A record that is not JSON at all is reported as such, whatever field-level problem came first.
            while (reader.Read())
            {
            }
            return Fail(error);
        }
        catch (JsonException e)
        {
            return Fail(SyntaxError(e, utf8Json));
        }
    }

    private static JobDecodeResult Fail(string error) => new(null, error);

    private static string? ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, out JobEvent? jobEvent)
    {
        jobEvent = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }

        var seen = 0;
        List<string>? unknown = null;
        string? schema = null, database = null, type = null, pageTitle = null, sha1 = null, signature = null;
        JobMeta? meta = null;
        JsonElement parameters = default;
        int? pageNamespace = null;
        DateTimeOffset? delayUntil = null;
        RootEvent? rootEvent = null;
        string? error;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var bit = MatchTopLevel(ref reader);
            if (bit == 0)
            {
                if ((error = SkipUnknown(ref reader, "$", ref unknown)) is not null)
                {
                    return error;
                }
                continue;
            }
            if ((seen & bit) != 0)
            {
                return $"$.{TopLevelName(bit)}: duplicate key";
            }
            seen |= bit;
            reader.Read();
            error = bit switch
            {
                SchemaBit => ReadOptionalString(ref reader, "$.$schema", out schema),
                MetaBit => ReadMeta(ref reader, out meta),
                DatabaseBit => ReadRequiredString(ref reader, "$.database", out database),
                TypeBit => ReadType(ref reader, out type),
                ParamsBit => ReadParams(ref reader, utf8Json, out parameters),
                PageNamespaceBit => ReadOptionalInt32(ref reader, "$.page_namespace", out pageNamespace),
                PageTitleBit => ReadOptionalNonEmptyString(ref reader, "$.page_title", out pageTitle),
                DelayUntilBit => ReadDelayUntil(ref reader, out delayUntil),
                Sha1Bit => ReadOptionalString(ref reader, "$.sha1", out sha1),
                RootEventBit => ReadRootEvent(ref reader, out rootEvent),
                _ => ReadOptionalString(ref reader, "$.mediawiki_signature", out signature),
            };
            if (error is not null)
            {
                return error;
            }
        }

        // The only thing allowed after the root object is whitespace; this throws for anything else.
        if (reader.Read())
        {
            return "$: unexpected content after the event";
        }

        if (meta is null)
        {
            return "$.meta: required field is missing";
        }
        if (database is null)
        {
            return "$.database: required field is missing";
        }
        if (type is null)
        {
            return "$.type: required field is missing";
        }
        if ((seen & ParamsBit) == 0)
        {
            return "$.params: required field is missing";
        }

        jobEvent = new JobEvent
        {
            Schema = schema,
            Meta = meta,
            Database = database,
            Type = type,
            Params = parameters,
            PageNamespace = pageNamespace,
            PageTitle = pageTitle,
            DelayUntil = delayUntil,
            Sha1 = sha1,
            RootEvent = rootEvent,
            MediawikiSignature = signature,
        };
        return null;
    }

    private static int MatchTopLevel(ref Utf8JsonReader reader)
    {
        var name = NameOf(ref reader);
        return name.Length switch
        {
            4 => name.SequenceEqual("meta"u8) ? MetaBit : name.SequenceEqual("type"u8) ? TypeBit : name.SequenceEqual("sha1"u8) ? Sha1Bit : 0,
            6 => name.SequenceEqual("params"u8) ? ParamsBit : 0,
            7 => name.SequenceEqual("$schema"u8) ? SchemaBit : 0,
            8 => name.SequenceEqual("database"u8) ? DatabaseBit : 0,
            10 => name.SequenceEqual("page_title"u8) ? PageTitleBit : name.SequenceEqual("root_event"u8) ? RootEventBit : 0,
            11 => name.SequenceEqual("delay_until"u8) ? DelayUntilBit : 0,
            14 => name.SequenceEqual("page_namespace"u8) ? PageNamespaceBit : 0,
            19 => name.SequenceEqual("mediawiki_signature"u8) ? SignatureBit : 0,
            _ => 0,
        };
    }

    private static string TopLevelName(int bit) => bit switch
    {
        SchemaBit => "$schema",
        MetaBit => "meta",
        DatabaseBit => "database",
        TypeBit => "type",
        ParamsBit => "params",
        PageNamespaceBit => "page_namespace",
        PageTitleBit => "page_title",
        DelayUntilBit => "delay_until",
        Sha1Bit => "sha1",
        RootEventBit => "root_event",
        _ => "mediawiki_signature",
    };

    private static int MatchMeta(ref Utf8JsonReader reader)
    {
        var name = NameOf(ref reader);
        return name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? IdBit : name.SequenceEqual("dt"u8) ? DtBit : 0,
            3 => name.SequenceEqual("uri"u8) ? UriBit : 0,
            5 => name.SequenceEqual("topic"u8) ? TopicBit : 0,
            6 => name.SequenceEqual("stream"u8) ? StreamBit : name.SequenceEqual("domain"u8) ? DomainBit : 0,
            8 => name.SequenceEqual("producer"u8) ? ProducerBit : 0,
            10 => name.SequenceEqual("request_id"u8) ? RequestIdBit : 0,
            14 => name.SequenceEqual("params_version"u8) ? ParamsVersionBit : 0,
            _ => 0,
        };
    }

    private static string MetaName(int bit) => bit switch
    {
        IdBit => "id",
        DtBit => "dt",
        StreamBit => "stream",
        TopicBit => "topic",
        DomainBit => "domain",
        RequestIdBit => "request_id",
        UriBit => "uri",
        ProducerBit => "producer",
        _ => "params_version",
    };

    /// <summary>The unescaped bytes of the current property name (escaped names are rare and copied).</summary>
    private static ReadOnlySpan<byte> NameOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }
        var buffer = new byte[reader.ValueSpan.Length];
        try
        {
            return buffer.AsSpan(0, reader.CopyString(buffer));
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot be a known field; SkipUnknown reports it.
            return [];
        }
    }

    /// <summary>Skips the value of a field Courier does not know (forward compatibility), refusing a repeated key.</summary>
    private static string? SkipUnknown(ref Utf8JsonReader reader, string parentPath, ref List<string>? seenUnknown)
    {
        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            return $"{parentPath}: a key is not a valid string: {e.Message}";
        }
        var path = JsonPaths.Property(parentPath, name);
        seenUnknown ??= [];
        if (seenUnknown.Contains(name))
        {
            return $"{path}: duplicate key";
        }
        seenUnknown.Add(name);
        reader.Read();
        reader.Skip();
        return null;
    }

    private static string? ReadMeta(ref Utf8JsonReader reader, out JobMeta? meta)
    {
        meta = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$.meta: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }
        var seen = 0;
        List<string>? unknown = null;
        string? id = null, stream = null, topic = null, domain = null, requestId = null, uri = null, paramsVersion = null;
        DateTimeOffset dt = default;
        ProducerInfo? producer = null;
        string? error;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var bit = MatchMeta(ref reader);
            if (bit == 0)
            {
                if ((error = SkipUnknown(ref reader, "$.meta", ref unknown)) is not null)
                {
                    return error;
                }
                continue;
            }
            if ((seen & bit) != 0)
            {
                return $"$.meta.{MetaName(bit)}: duplicate key";
            }
            seen |= bit;
            reader.Read();
            error = bit switch
            {
                IdBit => ReadRequiredString(ref reader, "$.meta.id", out id),
                DtBit => ReadDate(ref reader, "$.meta.dt", out dt),
                StreamBit => ReadOptionalString(ref reader, "$.meta.stream", out stream),
                TopicBit => ReadOptionalString(ref reader, "$.meta.topic", out topic),
                DomainBit => ReadOptionalString(ref reader, "$.meta.domain", out domain),
                RequestIdBit => ReadOptionalString(ref reader, "$.meta.request_id", out requestId),
                UriBit => ReadOptionalString(ref reader, "$.meta.uri", out uri),
                ProducerBit => ReadProducer(ref reader, out producer),
                _ => ReadOptionalString(ref reader, "$.meta.params_version", out paramsVersion),
            };
            if (error is not null)
            {
                return error;
            }
        }
        if (id is null)
        {
            return "$.meta.id: required field is missing";
        }
        if ((seen & DtBit) == 0)
        {
            return "$.meta.dt: required field is missing";
        }
        meta = new JobMeta
        {
            Id = id,
            Dt = dt,
            Stream = stream,
            Topic = topic,
            Domain = domain,
            RequestId = requestId,
            Uri = uri,
            Producer = producer,
            ParamsVersion = paramsVersion,
        };
        return null;
    }

    private static string? ReadProducer(ref Utf8JsonReader reader, out ProducerInfo? producer)
    {
        producer = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$.meta.producer: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }
        string? name = null, version = null;
        List<string>? unknown = null;
        string? error;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = NameOf(ref reader);
            if (field.SequenceEqual("name"u8))
            {
                if (name is not null)
                {
                    return "$.meta.producer.name: duplicate key";
                }
                reader.Read();
                error = ReadRequiredString(ref reader, "$.meta.producer.name", out name);
            }
            else if (field.SequenceEqual("version"u8))
            {
                if (version is not null)
                {
                    return "$.meta.producer.version: duplicate key";
                }
                reader.Read();
                error = ReadRequiredString(ref reader, "$.meta.producer.version", out version);
            }
            else
            {
                error = SkipUnknown(ref reader, "$.meta.producer", ref unknown);
            }
            if (error is not null)
            {
                return error;
            }
        }
        if (name is null)
        {
            return "$.meta.producer.name: required field is missing";
        }
        if (version is null)
        {
            return "$.meta.producer.version: required field is missing";
        }
        producer = new ProducerInfo(name, version);
        return null;
    }

    private static string? ReadRootEvent(ref Utf8JsonReader reader, out RootEvent? rootEvent)
    {
        rootEvent = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$.root_event: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }
        string? signature = null;
        DateTimeOffset? dt = null;
        List<string>? unknown = null;
        string? error;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = NameOf(ref reader);
            if (field.SequenceEqual("signature"u8))
            {
                if (signature is not null)
                {
                    return "$.root_event.signature: duplicate key";
                }
                reader.Read();
                error = ReadRequiredString(ref reader, "$.root_event.signature", out signature);
            }
            else if (field.SequenceEqual("dt"u8))
            {
                if (dt is not null)
                {
                    return "$.root_event.dt: duplicate key";
                }
                reader.Read();
                error = ReadDate(ref reader, "$.root_event.dt", out var value);
                dt = value;
            }
            else
            {
                error = SkipUnknown(ref reader, "$.root_event", ref unknown);
            }
            if (error is not null)
            {
                return error;
            }
        }
        if (signature is null)
        {
            return "$.root_event.signature: required field is missing";
        }
        if (dt is null)
        {
            return "$.root_event.dt: required field is missing";
        }
        rootEvent = new RootEvent(signature, dt.Value);
        return null;
    }

    private static string? ReadParams(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, out JsonElement parameters)
    {
        parameters = default;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // PHP's json_encode cannot tell an empty map from an empty list and writes empty params as [].
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                parameters = EmptyObject;
                return null;
            }
            return "$.params: must be an object, got array";
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$.params: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var json = utf8Json[start..(int)reader.BytesConsumed];
        try
        {
            // Parse copies the bytes, so the element outlives the record's buffer.
            parameters = JsonElement.Parse(json, ParamsDocumentOptions);
            return null;
        }
        catch (JsonException e)
        {
            // The syntax was checked by Skip, so this is a duplicate key; find where for the message.
            return DuplicateKeys.Find(json, "$.params") ?? $"$.params: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"$.params: {e.Message}";
        }
    }

    private static string? ReadType(ref Utf8JsonReader reader, out string? type)
    {
        var error = ReadRequiredString(ref reader, "$.type", out type);
        if (error is null && JobFields.TypeError(type!) is { } rule)
        {
            return "$.type: " + rule;
        }
        return error;
    }

    private static string? ReadRequiredString(ref Utf8JsonReader reader, string path, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return $"{path}: must be a string, got {JsonPaths.Kind(reader.TokenType)}";
        }
        if (reader.ValueSpan.IsEmpty)
        {
            return $"{path}: must not be empty";
        }
        return GetString(ref reader, path, out value);
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader, string path, out string? value)
    {
        value = null;
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => GetString(ref reader, path, out value),
            _ => $"{path}: must be a string, got {JsonPaths.Kind(reader.TokenType)}",
        };
    }

    private static string? ReadOptionalNonEmptyString(ref Utf8JsonReader reader, string path, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null ? null : ReadRequiredString(ref reader, path, out value);
    }

    private static string? GetString(ref Utf8JsonReader reader, string path, out string? value)
    {
        if (!reader.ValueIsEscaped)
        {
            value = reader.GetString();
            return null;
        }
        try
        {
            value = reader.GetString();
            return null;
        }
        catch (InvalidOperationException e)
        {
            // "\ud800" is valid JSON but no valid string.
            value = null;
            return $"{path}: not a valid string: {e.Message}";
        }
    }

    private static string? ReadOptionalInt32(ref Utf8JsonReader reader, string path, out int? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt32(out var number):
                value = number;
                return null;
            case JsonTokenType.Number:
                return $"{path}: must be an integer, got {Encoding.UTF8.GetString(reader.ValueSpan)}";
            default:
                return $"{path}: must be an integer, got {JsonPaths.Kind(reader.TokenType)}";
        }
    }

    private static string? ReadDate(ref Utf8JsonReader reader, string path, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return $"{path}: must be an ISO-8601 date-time string, got {JsonPaths.Kind(reader.TokenType)}";
        }
        return TryGetDate(ref reader, out value) ? null : $"{path}: must be an ISO-8601 date-time, got {QuoteValue(ref reader)}";
    }

    /// <summary>
    /// <c>delay_until</c>: an ISO-8601 string, or UNIX seconds as a number or numeric string — EventBus wrote
    /// <c>getReleaseTimestamp()</c> (TS_UNIX) until August 2019 (docs/original-system.md, "The job event").
    /// </summary>
    private static string? ReadDelayUntil(ref Utf8JsonReader reader, out DateTimeOffset? value)
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
                    return $"{Path}: UNIX seconds out of range, got {QuoteValue(ref reader)}";
                }
                return $"{Path}: must be an ISO-8601 date-time or UNIX seconds, got {QuoteValue(ref reader)}";
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

    private static string QuoteValue(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonPaths.Quote(reader.GetString() ?? "");
        }
        catch (InvalidOperationException)
        {
            return "an invalid string";
        }
    }

    /// <summary>"not valid JSON at byte N: what the reader says", with N counted from the start of the record.</summary>
    private static string SyntaxError(JsonException e, ReadOnlySpan<byte> utf8Json)
    {
        var offset = 0L;
        var line = e.LineNumber ?? 0;
        for (var i = 0; i < utf8Json.Length && line > 0; i++)
        {
            if (utf8Json[i] == (byte)'\n')
            {
                line--;
                offset = i + 1;
            }
        }
        offset += e.BytePositionInLine ?? 0;
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        return string.Create(CultureInfo.InvariantCulture, $"not valid JSON at byte {offset}: {message}");
    }

    private static int FirstInvalidUtf8Byte(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (i < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }
            i += consumed;
        }
        return i;
    }
}
