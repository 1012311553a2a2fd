using System.Text;

namespace Courier.Sqlite.Records;

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
        // Size first, then write into one exact array: this runs for every produced record.
        var size = VarintSize((ulong)headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            ArgumentNullException.ThrowIfNull(header.Key, "header key");
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            var valueField = header.Value is null ? 0UL : (ulong)header.Value.Length + 1;
            size += VarintSize((ulong)keyLength) + keyLength + VarintSize(valueField) + (header.Value?.Length ?? 0);
        }
        var blob = new byte[size];
        var span = blob.AsSpan();
        var position = WriteVarint(span, (ulong)headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var keyLength = Encoding.UTF8.GetByteCount(header.Key);
            position += WriteVarint(span[position..], (ulong)keyLength);
            position += Encoding.UTF8.GetBytes(header.Key, span[position..]);
            if (header.Value is null)
            {
                position += WriteVarint(span[position..], 0);
            }
            else
            {
                position += WriteVarint(span[position..], (ulong)header.Value.Length + 1);
                header.Value.CopyTo(span[position..]);
                position += header.Value.Length;
            }
        }
        return blob;
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

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        return i;
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
