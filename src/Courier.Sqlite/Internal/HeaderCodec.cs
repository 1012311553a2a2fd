using System.Buffers;
using System.Text;

namespace Courier.Sqlite.Internal;

/// <summary>
/// Packs record headers into one blob: a varint count, then per header a varint key length, the UTF-8 key, and a varint
/// (value length + 1) with 0 meaning a null value, followed by the value bytes. No headers are stored as SQL NULL.
/// </summary>
internal static class HeaderCodec
{
    public static byte[]? Encode(IReadOnlyList<LogHeader>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }
        var writer = new ArrayBufferWriter<byte>(64);
        WriteVarint(writer, (ulong)headers.Count);
        foreach (var header in headers)
        {
            ArgumentNullException.ThrowIfNull(header.Key, "header key");
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            WriteVarint(writer, (ulong)keyLength);
            Encoding.UTF8.GetBytes(header.Key, writer.GetSpan(keyLength));
            writer.Advance(keyLength);
            if (header.Value is null)
            {
                WriteVarint(writer, 0);
            }
            else
            {
                WriteVarint(writer, (ulong)header.Value.Length + 1);
                writer.Write(header.Value);
            }
        }
        return writer.WrittenSpan.ToArray();
    }

    public static IReadOnlyList<LogHeader> Decode(ReadOnlySpan<byte> blob)
    {
        var position = 0;
        var count = checked((int)ReadVarint(blob, ref position));
        var headers = new LogHeader[count];
        for (var i = 0; i < count; i++)
        {
            var keyLength = checked((int)ReadVarint(blob, ref position));
            var key = Encoding.UTF8.GetString(blob.Slice(position, keyLength));
            position += keyLength;
            var valueLength = ReadVarint(blob, ref position);
            byte[] value;
            if (valueLength == 0)
            {
                // LogHeader.Value is declared non-null; a null written by a caller reads back as null all the same.
                value = null!;
            }
            else
            {
                var length = checked((int)(valueLength - 1));
                value = blob.Slice(position, length).ToArray();
                position += length;
            }
            headers[i] = new LogHeader(key, value);
        }
        if (position != blob.Length)
        {
            throw new FormatException("header blob has trailing bytes");
        }
        return headers;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> blob, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = blob[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new FormatException("varint too long in header blob");
    }
}
