using System.Text.Json;
using Courier.Jobs.Codec;

namespace Courier;

/// <summary>
/// Encodes and strictly decodes job events (a hand-written <see cref="Utf8JsonReader"/> /
/// <see cref="Utf8JsonWriter"/> pass, no reflection). Decoding never throws for bad input: it reports the JSON path
/// and the rule that failed, e.g. <c>$.meta.id: required field is missing</c>. Thread-safe.
/// </summary>
public sealed class JobEventCodec
{
    /// <summary>The envelope schema Courier writes in <c>$schema</c>: the current <c>mediawiki/job</c> schema.</summary>
    public const string SchemaUri = "/mediawiki/job/1.0.0";

    // One cached buffer per codec: most encodes run on one thread at a time; a concurrent one makes its own.
    private EncodeBuffer? _cached;

    /// <summary>Creates a codec with the size limit of <paramref name="options"/>.</summary>
    public JobEventCodec(CourierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxEventBytes = options.MaxEventBytes;
    }

    /// <summary>Largest event accepted, in bytes.</summary>
    public int MaxEventBytes { get; }

    /// <summary>
    /// Encodes an event as UTF-8 JSON: snake_case <c>mediawiki/job</c> names, null optional fields omitted, dates as
    /// ISO-8601 in UTC (<c>+00:00</c>). Throws <see cref="JobEncodingException"/> if a required value is missing,
    /// params is not a JSON object (or has a duplicate key), or the result is larger than <see cref="MaxEventBytes"/>.
    /// </summary>
    public byte[] Encode(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        JobEventWriter.ValidateEnvelope(jobEvent.Meta, jobEvent.Database, jobEvent.Type);
        if (jobEvent.Params.ValueKind != JsonValueKind.Object)
        {
            throw new JobEncodingException($"params: must be a JSON object, got {JsonPaths.Kind(jobEvent.Params.ValueKind)}");
        }

        var buffer = Interlocked.Exchange(ref _cached, null) ?? new EncodeBuffer();
        try
        {
            var writer = buffer.Restart();
            JobEventWriter.WriteHead(writer, jobEvent.Schema, jobEvent.Meta, jobEvent.Database, jobEvent.Type);
            writer.Flush();
            var paramsStart = buffer.Output.WrittenCount;
            JobEventWriter.WriteParams(writer, jobEvent.Params);
            writer.Flush();
            CheckParams(buffer.Output.WrittenSpan[paramsStart..], "params");
            JobEventWriter.WriteTail(writer, jobEvent.PageNamespace, jobEvent.PageTitle, jobEvent.DelayUntil,
                jobEvent.Sha1, jobEvent.RootEvent, jobEvent.MediawikiSignature);
            writer.Flush();
            CheckSize(buffer.Output.WrittenCount, MaxEventBytes, "event");
            return buffer.Output.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Reusable)
            {
                Volatile.Write(ref _cached, buffer);
            }
            else
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>
    /// Decodes and validates an event. Checks, in order: size, UTF-8, JSON syntax (reported first wherever it is),
    /// then the fields. Unknown fields are ignored (forward compatibility); duplicate keys are refused. The event's
    /// params element is a copy and stays valid after <paramref name="utf8Json"/> is gone.
    /// </summary>
    public JobDecodeResult Decode(ReadOnlySpan<byte> utf8Json) => JobEventReader.Decode(utf8Json, MaxEventBytes);

    /// <summary>
    /// As <see cref="Decode(ReadOnlySpan{byte})"/> over bytes that stay unchanged while the event lives (a log record's
    /// value): the same events accepted and refused, but params are parsed only when read, and a handler binds them from
    /// <paramref name="utf8Json"/> directly.
    /// </summary>
    internal JobDecodeResult DecodeRecord(ReadOnlyMemory<byte> utf8Json) => JobEventReader.Decode(utf8Json, MaxEventBytes);

    /// <summary>Throws if written params are not something the decoder accepts.</summary>
    internal static void CheckParams(ReadOnlySpan<byte> paramsJson, string name)
    {
        string? duplicate;
        try
        {
            duplicate = DuplicateKeys.Find(paramsJson, "$");
        }
        catch (JsonException e)
        {
            throw new JobEncodingException($"{name}: {e.Message}", e);
        }
        if (duplicate is not null)
        {
            // "$.a.b: duplicate key" → "params.a.b: duplicate key"
            throw new JobEncodingException(name + duplicate[1..]);
        }
    }

    internal static void CheckSize(int bytes, int limit, string what)
    {
        if (bytes > limit)
        {
            throw new JobEncodingException($"{what} is {bytes} bytes; the limit is {limit}");
        }
    }
}
