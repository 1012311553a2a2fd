using System.Globalization;
using System.Text;

namespace Courier.Server.Audit;

/// <summary>Reads the <c>courier.origin.*</c> headers of a retry, partitioned or dead-letter record: the job record it stands for.</summary>
internal static class OriginHeader
{
    /// <summary>The origin the record's headers name; false when a header is missing or malformed.</summary>
    public static bool TryRead(LogRecord record, out TopicPartitionOffset origin)
    {
        origin = default;
        if (record.GetHeader(CourierHeaders.OriginTopic) is not { Length: > 0 } topic
            || !TryLong(record, CourierHeaders.OriginPartition, out var partition) || partition is < 0 or > int.MaxValue
            || !TryLong(record, CourierHeaders.OriginOffset, out var offset) || offset < 0)
        {
            return false;
        }
        origin = new TopicPartitionOffset(Encoding.UTF8.GetString(topic), (int)partition, offset);
        return true;
    }

    /// <summary>A header holding an integer; false when it is missing or not one.</summary>
    public static bool TryLong(LogRecord record, string header, out long value)
    {
        value = 0;
        return record.GetHeader(header) is { } bytes
            && long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
