using System.Text.Encodings.Web;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>
/// Writes the job event envelope with a <see cref="Utf8JsonWriter"/>; shared by <see cref="JobEventCodec"/> and
/// the client, which serializes params straight into the event between <see cref="WriteHead"/> and
/// <see cref="WriteTail"/>. Null optional values are omitted.
/// </summary>
internal static class JobEventWriter
{
    /// <summary>
    /// Non-ASCII text is written as UTF-8 rather than \u escapes (titles of most wikis are not ASCII); the
    /// relaxed encoder is only "unsafe" for embedding in HTML, which job events never are.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonEncodedText Schema = JsonEncodedText.Encode("$schema");
    private static readonly JsonEncodedText Meta = JsonEncodedText.Encode("meta");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Dt = JsonEncodedText.Encode("dt");
    private static readonly JsonEncodedText Stream = JsonEncodedText.Encode("stream");
    private static readonly JsonEncodedText Topic = JsonEncodedText.Encode("topic");
    private static readonly JsonEncodedText Domain = JsonEncodedText.Encode("domain");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("request_id");
    private static readonly JsonEncodedText Uri = JsonEncodedText.Encode("uri");
    private static readonly JsonEncodedText Producer = JsonEncodedText.Encode("producer");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText ParamsVersion = JsonEncodedText.Encode("params_version");
    private static readonly JsonEncodedText Database = JsonEncodedText.Encode("database");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Params = JsonEncodedText.Encode("params");
    private static readonly JsonEncodedText PageNamespace = JsonEncodedText.Encode("page_namespace");
    private static readonly JsonEncodedText PageTitle = JsonEncodedText.Encode("page_title");
    private static readonly JsonEncodedText DelayUntil = JsonEncodedText.Encode("delay_until");
    private static readonly JsonEncodedText Sha1 = JsonEncodedText.Encode("sha1");
    private static readonly JsonEncodedText RootEvent = JsonEncodedText.Encode("root_event");
    private static readonly JsonEncodedText Signature = JsonEncodedText.Encode("signature");
    private static readonly JsonEncodedText MediawikiSignature = JsonEncodedText.Encode("mediawiki_signature");

    /// <summary>Checks what must be present for the envelope to decode; throws <see cref="JobEncodingException"/> naming it.</summary>
    public static void ValidateEnvelope(JobMeta? meta, string? database, string? type)
    {
        if (meta is null)
        {
            throw new JobEncodingException("meta: required value is missing");
        }
        if (string.IsNullOrEmpty(meta.Id))
        {
            throw new JobEncodingException("meta.id: required value is missing");
        }
        if (meta.Producer is { } producer && (string.IsNullOrEmpty(producer.Name) || string.IsNullOrEmpty(producer.Version)))
        {
            throw new JobEncodingException("meta.producer: name and version are both required");
        }
        if (string.IsNullOrEmpty(database))
        {
            throw new JobEncodingException("database: required value is missing");
        }
        if (type is null)
        {
            throw new JobEncodingException("type: required value is missing");
        }
        if (JobFields.TypeError(type) is { } error)
        {
            throw new JobEncodingException("type: " + error);
        }
    }

    /// <summary>Writes everything up to and including the <c>params</c> property name.</summary>
    public static void WriteHead(Utf8JsonWriter writer, string? schema, JobMeta meta, string database, string type)
    {
        writer.WriteStartObject();
        if (schema is not null)
        {
            writer.WriteString(Schema, schema);
        }
        writer.WriteStartObject(Meta);
        writer.WriteString(Id, meta.Id);
        writer.WriteString(Dt, meta.Dt.ToUniversalTime());
        WriteOptional(writer, Stream, meta.Stream);
        WriteOptional(writer, Topic, meta.Topic);
        WriteOptional(writer, Domain, meta.Domain);
        WriteOptional(writer, RequestId, meta.RequestId);
        WriteOptional(writer, Uri, meta.Uri);
        if (meta.Producer is { } producer)
        {
            writer.WriteStartObject(Producer);
            writer.WriteString(Name, producer.Name);
            writer.WriteString(Version, producer.Version);
            writer.WriteEndObject();
        }
        WriteOptional(writer, ParamsVersion, meta.ParamsVersion);
        writer.WriteEndObject();
        writer.WriteString(Database, database);
        writer.WriteString(Type, type);
        writer.WritePropertyName(Params);
    }

    /// <summary>Writes the optional fields after <c>params</c> and closes the event.</summary>
    public static void WriteTail(
        Utf8JsonWriter writer,
        int? pageNamespace,
        string? pageTitle,
        DateTimeOffset? delayUntil,
        string? sha1,
        RootEvent? rootEvent,
        string? mediawikiSignature)
    {
        if (pageNamespace is { } ns)
        {
            writer.WriteNumber(PageNamespace, ns);
        }
        WriteOptional(writer, PageTitle, pageTitle);
        if (delayUntil is { } delay)
        {
            writer.WriteString(DelayUntil, delay.ToUniversalTime());
        }
        WriteOptional(writer, Sha1, sha1);
        if (rootEvent is not null)
        {
            if (string.IsNullOrEmpty(rootEvent.Signature))
            {
                throw new JobEncodingException("root_event.signature: required value is missing");
            }
            writer.WriteStartObject(RootEvent);
            writer.WriteString(Signature, rootEvent.Signature);
            writer.WriteString(Dt, rootEvent.Dt.ToUniversalTime());
            writer.WriteEndObject();
        }
        WriteOptional(writer, MediawikiSignature, mediawikiSignature);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a params element. The element's own text is copied when it is plain JSON; an element parsed with
    /// comments allowed is written token by token instead, so comments never reach the log.
    /// </summary>
    public static void WriteParams(Utf8JsonWriter writer, JsonElement parameters)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(parameters);
        try
        {
            writer.WriteRawValue(raw, skipInputValidation: false);
        }
        catch (JsonException)
        {
            parameters.WriteTo(writer);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
