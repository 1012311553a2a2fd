using System.Globalization;
using System.Text;

namespace Courier.Dispatching.Outcomes;

/// <summary>Reading and writing the <c>courier.*</c> headers the dispatcher puts on retry, partitioned and dead-letter records.</summary>
internal static class RecordHeaders
{
    /// <summary>Longest failure message kept in a header.</summary>
    private const int MaxMessageLength = 4000;

    /// <summary>The origin headers of a record read from its first topic: it is the origin.</summary>
    public static LogHeader[] OriginOf(LogRecord record) =>
    [
        Header(CourierHeaders.OriginTopic, record.Topic),
        Header(CourierHeaders.OriginPartition, record.Partition.ToString(CultureInfo.InvariantCulture)),
        Header(CourierHeaders.OriginOffset, record.Offset.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// The position of the job-topic record a record stands for: the record itself when it carries no
    /// <see cref="CourierHeaders.OriginTopic"/> (a first read from its job topic), else the origin its headers name
    /// (a retry, or a partitioned rule's copy, written with <see cref="OriginOf"/>). Origin headers that do not name a
    /// position (a record not written by a dispatcher) give the record's own position: it is what was read.
    /// </summary>
    public static TopicPartitionOffset OriginPosition(LogRecord record) =>
        Text(record, CourierHeaders.OriginTopic) is { Length: > 0 } topic
        && ReadLong(record, CourierHeaders.OriginPartition) is { } partition and >= 0 and <= int.MaxValue
        && ReadLong(record, CourierHeaders.OriginOffset) is { } offset and >= 0
            ? new TopicPartitionOffset(topic, (int)partition, offset)
            : record.Position;

    public static LogHeader Header(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    public static LogHeader Header(string key, long value) => Header(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A failure message as kept in a header: empty for none, cut at a bound.</summary>
    public static string Truncate(string? message) =>
        message is null ? "" : message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";

    /// <summary>A header as text, or null when it is missing.</summary>
    public static string? Text(LogRecord record, string header) =>
        record.GetHeader(header) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A header holding an integer, or null when it is missing or not one.</summary>
    public static long? ReadLong(LogRecord record, string header) =>
        record.GetHeader(header) is { } bytes && long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
