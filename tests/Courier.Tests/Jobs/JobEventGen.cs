using System.Buffers;
using System.Text.Json;
using CsCheck;

namespace Courier.Tests.Jobs;

/// <summary>CsCheck generators of valid job events: every optional field present or absent, params trees of any shape.</summary>
internal static class JobEventGen
{
    /// <summary>
    /// Code points from every range (ASCII, control characters that must be escaped, the rest of the BMP, astral
    /// planes). No lone surrogates: a JSON writer replaces those, so they cannot round-trip by design.
    /// </summary>
    private static readonly Gen<string> CodePoint = Gen.Frequency(
        (6, Gen.Int[0x20, 0x7E]),
        (1, Gen.Int[0x00, 0x1F]),
        (2, Gen.Int[0x80, 0xD7FF]),
        (1, Gen.Int[0xE000, 0xFFFF]),
        (1, Gen.Int[0x10000, 0x10FFFF])).Select(char.ConvertFromUtf32);

    public static readonly Gen<string> Text = CodePoint.Array[0, 16].Select(string.Concat);

    public static readonly Gen<string> NonEmptyText = CodePoint.Array[1, 16].Select(string.Concat);

    /// <summary>Job types: no whitespace or control characters, but not only ASCII.</summary>
    public static readonly Gen<string> JobType = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-.:éß日本"], 1, 24];

    private static readonly Gen<object?> Leaf = Gen.OneOf<object?>(
        Text.Select(s => (object?)s),
        Gen.Long.Select(n => (object?)n),
        Gen.Double.Where(double.IsFinite).Select(d => (object?)d),
        Gen.Bool.Select(b => (object?)b),
        Gen.Const<object?>((object?)null));

    /// <summary>A JSON value tree: string, long, double, bool, null, object?[] (array), KeyValuePair[] (object).</summary>
    private static readonly Gen<object?> Value = Gen.Recursive<object?>((depth, self) => depth >= 4
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, self.Array[0, 4].Select(items => (object?)items)),
            (1, ObjectOf(self))));

    public static readonly Gen<JsonElement> Params = ObjectOf(Value).Select(ToElement);

    private static readonly Gen<ProducerInfo?> Producer =
        Gen.Select(NonEmptyText, NonEmptyText, (name, version) => new ProducerInfo(name, version)).Null(0.3);

    private static readonly Gen<RootEvent?> Root =
        Gen.Select(NonEmptyText, Gen.DateTimeOffset, (signature, dt) => new RootEvent(signature, dt)).Null(0.5);

    private static readonly Gen<JobMeta> Meta =
        Gen.Select(
            Gen.Frequency((3, Gen.Guid.Select(g => g.ToString())), (1, NonEmptyText)),
            Gen.DateTimeOffset,
            Text.Null(0.3),
            Text.Null(0.7),
            Text.Null(0.3),
            Text.Null(0.3),
            Gen.Select(Text.Null(0.5), Producer, Text.Null(0.5)))
        .Select((id, dt, stream, topic, domain, requestId, rest) => new JobMeta
        {
            Id = id,
            Dt = dt,
            Stream = stream,
            Topic = topic,
            Domain = domain,
            RequestId = requestId,
            Uri = rest.Item1,
            Producer = rest.Item2,
            ParamsVersion = rest.Item3,
        });

    public static readonly Gen<JobEvent> Event =
        Gen.Select(
            Text.Null(0.3),
            Meta,
            NonEmptyText,
            JobType,
            Params,
            Gen.Int.Nullable(0.5),
            NonEmptyText.Null(0.5),
            Gen.Select(Gen.DateTimeOffset.Nullable(0.5), Text.Null(0.5), Root, Text.Null(0.5)))
        .Select((schema, meta, database, type, parameters, ns, title, rest) => new JobEvent
        {
            Schema = schema,
            Meta = meta,
            Database = database,
            Type = type,
            Params = parameters,
            PageNamespace = ns,
            PageTitle = title,
            DelayUntil = rest.Item1,
            Sha1 = rest.Item2,
            RootEvent = rest.Item3,
            MediawikiSignature = rest.Item4,
        });

    private static Gen<object?> ObjectOf(Gen<object?> value) =>
        Gen.Select(Text, value, (k, v) => new KeyValuePair<string, object?>(k, v)).Array[0, 5]
            .Select(pairs => (object?)pairs.DistinctBy(p => p.Key, StringComparer.Ordinal).ToArray());

    private static JsonElement ToElement(object? tree)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, tree);
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case long n:
                writer.WriteNumberValue(n);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case object?[] items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case KeyValuePair<string, object?>[] members:
                writer.WriteStartObject();
                foreach (var (key, item) in members)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"not a JSON tree node: {value.GetType()}", nameof(value));
        }
    }
}
