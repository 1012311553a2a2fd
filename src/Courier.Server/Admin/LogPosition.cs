using System.Globalization;

namespace Courier.Server.Admin;

/// <summary>Positions as the CLI prints and reads them: <c>topic:partition:offset</c> (topic names contain no colon).</summary>
internal static class LogPosition
{
    /// <summary>Formats a position, e.g. <c>courier.error:0:15</c>.</summary>
    public static string Format(TopicPartitionOffset position) =>
        string.Create(CultureInfo.InvariantCulture, $"{position.Topic}:{position.Partition}:{position.Offset}");

    /// <summary>Parses <c>topic:partition:offset</c>.</summary>
    public static bool TryParse(string? text, out TopicPartitionOffset position)
    {
        position = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var last = text.LastIndexOf(':');
        var middle = last > 0 ? text.LastIndexOf(':', last - 1) : -1;
        if (middle <= 0
            || !int.TryParse(text.AsSpan(middle + 1, last - middle - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(text.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }
        position = new TopicPartitionOffset(text[..middle], partition, offset);
        return true;
    }
}
