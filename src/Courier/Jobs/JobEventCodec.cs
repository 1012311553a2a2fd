namespace Courier;

/// <summary>
/// Encodes and strictly decodes job events (System.Text.Json, source-generated). Decoding never throws for bad
/// input: it reports the JSON path and the rule that failed.
/// </summary>
public sealed class JobEventCodec
{
    /// <summary>Creates a codec with the size limit of <paramref name="options"/>.</summary>
    public JobEventCodec(CourierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxEventBytes = options.MaxEventBytes;
    }

    /// <summary>Largest event accepted, in bytes.</summary>
    public int MaxEventBytes { get; }

    /// <summary>Encodes an event as UTF-8 JSON. Throws <see cref="JobEncodingException"/> if it is invalid or too large.</summary>
    public byte[] Encode(JobEvent jobEvent) => throw new NotImplementedException("codec: being written");

    /// <summary>Decodes and validates an event.</summary>
    public JobDecodeResult Decode(ReadOnlySpan<byte> utf8Json) => throw new NotImplementedException("codec: being written");
}
