using System.Text;
using Confluent.Kafka;

namespace Courier.Kafka.Consumer;

/// <summary>
/// Reads record keys as UTF-8 strings, as Confluent.Kafka's <see cref="Deserializers.Utf8"/> does, but returns the
/// string read last time from the same bytes: job records are keyed by wiki, and a few hundred keys repeat across
/// millions of records. A small table compared byte for byte, so the result is always what decoding would give.
/// Used by one consumer, on the thread that calls <c>Consume</c>.
/// </summary>
internal sealed class RecordKeyDeserializer : IDeserializer<string?>
{
    private const int Slots = 256;
    private const int MaxCachedBytes = 64;

    private readonly byte[]?[] _bytes = new byte[]?[Slots];
    private readonly string?[] _strings = new string?[Slots];

    /// <inheritdoc/>
    public string? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null;
        }
        if (data.IsEmpty || data.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(data);
        }
        var slot = (int)(Hash(data) & (Slots - 1));
        if (_bytes[slot] is { } seen && data.SequenceEqual(seen))
        {
            return _strings[slot];
        }
        var value = Encoding.UTF8.GetString(data);
        _bytes[slot] = data.ToArray();
        _strings[slot] = value;
        return value;
    }

    private static uint Hash(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var b in data)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash;
    }
}
