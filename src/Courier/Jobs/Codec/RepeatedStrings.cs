using System.Text;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>
/// Values that repeat from event to event — the type, the stream, the wiki, the request id, the producer and its
/// version — read as the string instance this thread read last time instead of a new one each event. A small fixed
/// table per thread (a miss only costs the string it would have cost anyway); values are compared in full, so the
/// result is always equal to what <see cref="Utf8JsonReader.GetString"/> returns.
/// </summary>
/// <remarks>
/// An ASCII value is compared byte to char (<see cref="Ascii.Equals(ReadOnlySpan{byte}, ReadOnlySpan{char})"/>), where
/// <see cref="Utf8JsonReader.ValueTextEquals(string)"/> transcoded the cached string to UTF-8 on every read.
/// </remarks>
internal static class RepeatedStrings
{
    // Room for a few hundred values: the wikis of a farm are the most numerous of them (a table of 64 missed most of
    // the Kafka benchmark's 97 wikis, each miss a new string).
    private const int Slots = 256;

    [ThreadStatic]
    private static string?[]? t_slots;

    /// <summary>The current unescaped string value (<see cref="Utf8JsonReader.ValueIsEscaped"/> false).</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        var bytes = reader.ValueSpan;
        if (bytes.Length is 0 or > 128)
        {
            return reader.GetString()!;
        }
        var slots = t_slots ??= new string?[Slots];
        var index = (bytes.Length * 31 + bytes[0] * 7 + bytes[^1] * 3 + bytes[bytes.Length / 2]) & (Slots - 1);
        var cached = slots[index];
        if (cached is not null && (Ascii.Equals(bytes, cached) || (!Ascii.IsValid(bytes) && reader.ValueTextEquals(cached))))
        {
            return cached;
        }
        return slots[index] = reader.GetString()!;
    }
}
