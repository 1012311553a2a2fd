using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

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

    private static readonly JsonReaderOptions EventReaderOptions = new() { MaxDepth = 64 };
    private static readonly JsonDocumentOptions ParamsDocumentOptions = new() { AllowDuplicateProperties = false };

    /// <summary>An empty params object (PHP's json_encode writes an empty params array as <c>[]</c>).</summary>
    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}"u8);

    public static JobDecodeResult Decode(ReadOnlySpan<byte> utf8Json, int maxEventBytes) => Decode(utf8Json, default, maxEventBytes);

    /// <summary>
    /// As <see cref="Decode(ReadOnlySpan{byte}, int)"/> over bytes that stay unchanged while the event lives (a log
    /// record's value): params without duplicate keys are left as a slice of <paramref name="utf8Json"/>
    /// (<see cref="JobEvent.ParamsUtf8"/>) and parsed only if read. Accepts and refuses exactly the same events.
    /// </summary>
    public static JobDecodeResult Decode(ReadOnlyMemory<byte> utf8Json, int maxEventBytes) => Decode(utf8Json.Span, utf8Json, maxEventBytes);

    /// <summary>Decodes <paramref name="utf8Json"/>; <paramref name="lazySource"/>, when not empty, is the same bytes as memory.</summary>
    private static JobDecodeResult Decode(ReadOnlySpan<byte> utf8Json, ReadOnlyMemory<byte> lazySource, int maxEventBytes)
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
            var error = ReadEvent(ref reader, utf8Json, lazySource, out var jobEvent);
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

    private static string? ReadEvent(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, ReadOnlyMemory<byte> lazySource, out JobEvent? jobEvent)
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
        ReadOnlyMemory<byte> lazyParams = default;
        int? pageNamespace = null;
        DateTimeOffset? delayUntil = null;
        RootEvent? rootEvent = null;
        string? error;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var bit = MatchTopLevel(ref reader);
            if (bit == 0)
            {
                if ((error = JsonFieldReader.SkipUnknown(ref reader, "$", ref unknown)) is not null)
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
                SchemaBit => JsonFieldReader.ReadOptionalString(ref reader, "$.$schema", out schema, repeats: true),
                MetaBit => JobMetaReader.ReadMeta(ref reader, lazySource, out meta),
                DatabaseBit => JsonFieldReader.ReadRequiredString(ref reader, "$.database", out database, repeats: true),
                TypeBit => ReadType(ref reader, out type),
                ParamsBit => ReadParams(ref reader, utf8Json, lazySource, out parameters, out lazyParams),
                PageNamespaceBit => JsonFieldReader.ReadOptionalInt32(ref reader, "$.page_namespace", out pageNamespace),
                PageTitleBit => JsonFieldReader.ReadOptionalNonEmptyString(ref reader, "$.page_title", out pageTitle),
                DelayUntilBit => JobDateReader.ReadDelayUntil(ref reader, out delayUntil),
                Sha1Bit => JsonFieldReader.ReadOptionalString(ref reader, "$.sha1", out sha1),
                RootEventBit => JobMetaReader.ReadRootEvent(ref reader, out rootEvent),
                _ => JsonFieldReader.ReadOptionalString(ref reader, "$.mediawiki_signature", out signature),
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
            ParamsUtf8 = lazyParams,
        };
        return null;
    }

    private static int MatchTopLevel(ref Utf8JsonReader reader)
    {
        var name = JsonFieldReader.NameOf(ref reader);
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

    private static string? ReadParams(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, ReadOnlyMemory<byte> lazySource,
        out JsonElement parameters, out ReadOnlyMemory<byte> lazyParams)
    {
        parameters = default;
        lazyParams = default;
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
        if (lazySource.IsEmpty)
        {
            reader.Skip();
        }
        else if (DuplicateKeys.SkipNoneFound(ref reader))
        {
            // Syntax was checked on the way and no key repeats: nothing the parse below could refuse. Leave the bytes
            // for the handler to bind from; anything less certain takes the parse, and its exact messages.
            lazyParams = lazySource[start..(int)reader.BytesConsumed];
            return null;
        }
        var json = utf8Json[start..(int)reader.BytesConsumed];
        try
        {
            // Parse copies the bytes, so the element outlives the record's buffer.
            parameters = JsonElement.Parse(json, ParamsDocumentOptions);
            return null;
        }
        catch (JsonException e)
        {
            // The syntax was checked on the way to the value's end, so this is a duplicate key; find where for the message.
            return DuplicateKeys.Find(json, "$.params") ?? $"$.params: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            return $"$.params: {e.Message}";
        }
    }

    private static string? ReadType(ref Utf8JsonReader reader, out string? type)
    {
        var error = JsonFieldReader.ReadRequiredString(ref reader, "$.type", out type, repeats: true);
        if (error is null && JobFields.TypeError(type!) is { } rule)
        {
            return "$.type: " + rule;
        }
        return error;
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
