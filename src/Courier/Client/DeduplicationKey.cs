using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Courier.Jobs.Codec;

namespace Courier.Client;

/// <summary>
/// The <c>sha1</c> of a job: identical work gets the same key whatever order its params were written in and
/// whichever request or root job produced it. It follows MediaWiki 1.34's <c>Job::getDeduplicationInfo()</c>
/// (docs/original-system.md, "The job event"): <c>{type, params}</c> with <c>rootJobSignature</c>,
/// <c>rootJobTimestamp</c>, <c>jobReleaseTimestamp</c> and <c>requestId</c> removed from params and params keys
/// sorted.
/// </summary>
/// <remarks>
/// The hashed text is canonical JSON: <c>{"params":…,"type":…}</c>, no whitespace, object keys sorted by ordinal
/// (UTF-16) order at every depth, arrays in order, strings re-escaped by System.Text.Json's relaxed encoder,
/// numbers as written. MediaWiki hashed PHP's <c>serialize()</c> output instead, so keys do not match the
/// original's; they only need to match each other.
/// </remarks>
internal static class DeduplicationKey
{
    private static readonly string[] IgnoredParams = ["rootJobSignature", "rootJobTimestamp", "jobReleaseTimestamp", "requestId"];

    private static readonly Comparison<JsonProperty> ByName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);

    /// <summary>Lowercase hex SHA-1 of the canonical JSON of <c>{type, params}</c>.</summary>
    public static string Compute(string type, JsonElement parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JobEventWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("params"u8);
            WriteCanonical(writer, parameters, topLevel: true);
            writer.WriteString("type"u8, type);
            writer.WriteEndObject();
        }
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // A content fingerprint named sha1 by the mediawiki/job schema, not a security measure.
        SHA1.HashData(buffer.WrittenSpan, hash);
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if (!topLevel || Array.IndexOf(IgnoredParams, property.Name) < 0)
                    {
                        properties.Add(property);
                    }
                }
                properties.Sort(ByName);
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, topLevel: false);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, topLevel: false);
                }
                writer.WriteEndArray();
                break;
            default:
                // Strings are unescaped and re-escaped by the writer, so "\u00e9" and "é" hash alike.
                element.WriteTo(writer);
                break;
        }
    }
}
