using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Courier.Server.Admin.Index;

/// <summary>
/// The opaque cursor of a dead-letter page: the sort key (record timestamp, partition, offset) of the last entry
/// shown, base64url-encoded. The next page starts strictly below it, so paging never skips or repeats an entry and
/// never uses OFFSET.
/// </summary>
internal static class IndexCursor
{
    /// <summary>Encodes a sort key.</summary>
    public static string Encode(long timestampMs, int partition, long offset) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"v1.{timestampMs}.{partition}.{offset}")));

    /// <summary>Decodes a cursor made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? cursor, out (long TimestampMs, int Partition, long Offset) key)
    {
        key = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 100)
        {
            return false;
        }
        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }
        var parts = text.Split('.');
        if (parts.Length != 4 || parts[0] != "v1"
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ts)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }
        key = (ts, partition, offset);
        return true;
    }
}
