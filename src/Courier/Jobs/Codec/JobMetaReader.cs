using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>The objects of a job event with their own fields: <c>meta</c> (with <c>meta.producer</c>) and <c>root_event</c>.</summary>
internal static class JobMetaReader
{
    // Bits of the meta fields seen so far, so a repeated key is caught without a set.
    private const int IdBit = 1, DtBit = 2, StreamBit = 4, TopicBit = 8, DomainBit = 16, RequestIdBit = 32, UriBit = 64,
        ProducerBit = 128, ParamsVersionBit = 256;

    [ThreadStatic]
    private static ProducerInfo? t_lastProducer;

    private static int MatchMeta(ref Utf8JsonReader reader)
    {
        var name = JsonFieldReader.NameOf(ref reader);
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

    /// <summary>
    /// Reads <c>meta</c>: <c>id</c> and <c>dt</c> required, the rest optional, unknown fields skipped. With
    /// <paramref name="lazySource"/> (the record's bytes, which outlive the event) an unescaped id is left as its slice
    /// of them and made a string only when read (<see cref="JobMeta.Id"/>).
    /// </summary>
    public static string? ReadMeta(ref Utf8JsonReader reader, ReadOnlyMemory<byte> lazySource, out JobMeta? meta)
    {
        meta = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"$.meta: must be an object, got {JsonPaths.Kind(reader.TokenType)}";
        }
        var seen = 0;
        List<string>? unknown = null;
        ReadOnlyMemory<byte> idUtf8 = default;
        string? id = null, stream = null, topic = null, domain = null, requestId = null, uri = null, paramsVersion = null;
        DateTimeOffset dt = default;
        ProducerInfo? producer = null;
        string? error;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var bit = MatchMeta(ref reader);
            if (bit == 0)
            {
                if ((error = JsonFieldReader.SkipUnknown(ref reader, "$.meta", ref unknown)) is not null)
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
                IdBit => ReadId(ref reader, lazySource, out id, out idUtf8),
                DtBit => JobDateReader.ReadDate(ref reader, "$.meta.dt", out dt),
                StreamBit => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.stream", out stream, repeats: true),
                TopicBit => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.topic", out topic, repeats: true),
                DomainBit => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.domain", out domain, repeats: true),
                // One request enqueues many jobs (a batch shares its request id), so the id repeats from event to event.
                RequestIdBit => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.request_id", out requestId, repeats: true),
                UriBit => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.uri", out uri),
                ProducerBit => ReadProducer(ref reader, out producer),
                _ => JsonFieldReader.ReadOptionalString(ref reader, "$.meta.params_version", out paramsVersion, repeats: true),
            };
            if (error is not null)
            {
                return error;
            }
        }
        if (id is null && idUtf8.IsEmpty)
        {
            return "$.meta.id: required field is missing";
        }
        if ((seen & DtBit) == 0)
        {
            return "$.meta.dt: required field is missing";
        }
        meta = new JobMeta(idUtf8)
        {
            Id = id!, // null when the id was left as bytes: the first read makes it from them
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

    /// <summary>
    /// <c>meta.id</c>: a non-empty string. One without escapes is left as its bytes in <paramref name="lazySource"/>
    /// when given: the record was checked to be valid UTF-8, so nothing reading it as a string could refuse.
    /// </summary>
    private static string? ReadId(ref Utf8JsonReader reader, ReadOnlyMemory<byte> lazySource, out string? id, out ReadOnlyMemory<byte> idUtf8)
    {
        idUtf8 = default;
        if (!lazySource.IsEmpty && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.ValueSpan.IsEmpty)
        {
            id = null;
            // A string token starts at its opening quote; its value is the bytes between the quotes.
            idUtf8 = lazySource.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
            return null;
        }
        return JsonFieldReader.ReadRequiredString(ref reader, "$.meta.id", out id);
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
            var field = JsonFieldReader.NameOf(ref reader);
            if (field.SequenceEqual("name"u8))
            {
                if (name is not null)
                {
                    return "$.meta.producer.name: duplicate key";
                }
                reader.Read();
                error = JsonFieldReader.ReadRequiredString(ref reader, "$.meta.producer.name", out name, repeats: true);
            }
            else if (field.SequenceEqual("version"u8))
            {
                if (version is not null)
                {
                    return "$.meta.producer.version: duplicate key";
                }
                reader.Read();
                error = JsonFieldReader.ReadRequiredString(ref reader, "$.meta.producer.version", out version, repeats: true);
            }
            else
            {
                error = JsonFieldReader.SkipUnknown(ref reader, "$.meta.producer", ref unknown);
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
        // The same producer writes event after event: share its (immutable) info rather than a new one each time.
        producer = t_lastProducer is { } last && ReferenceEquals(last.Name, name) && ReferenceEquals(last.Version, version)
            ? last
            : t_lastProducer = new ProducerInfo(name, version);
        return null;
    }

    /// <summary>Reads <c>root_event</c> (null allowed): <c>signature</c> and <c>dt</c> both required.</summary>
    public static string? ReadRootEvent(ref Utf8JsonReader reader, out RootEvent? rootEvent)
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
            var field = JsonFieldReader.NameOf(ref reader);
            if (field.SequenceEqual("signature"u8))
            {
                if (signature is not null)
                {
                    return "$.root_event.signature: duplicate key";
                }
                reader.Read();
                error = JsonFieldReader.ReadRequiredString(ref reader, "$.root_event.signature", out signature);
            }
            else if (field.SequenceEqual("dt"u8))
            {
                if (dt is not null)
                {
                    return "$.root_event.dt: duplicate key";
                }
                reader.Read();
                error = JobDateReader.ReadDate(ref reader, "$.root_event.dt", out var value);
                dt = value;
            }
            else
            {
                error = JsonFieldReader.SkipUnknown(ref reader, "$.root_event", ref unknown);
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
}
