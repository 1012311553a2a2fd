namespace Courier;

/// <summary>A record read from the job log.</summary>
public sealed class LogRecord
{
    /// <summary>Topic the record was read from.</summary>
    public required string Topic { get; init; }

    /// <summary>Partition the record was read from.</summary>
    public required int Partition { get; init; }

    /// <summary>Offset of the record in its partition.</summary>
    public required long Offset { get; init; }

    /// <summary>Partitioning key (for job events, the <c>database</c>), or null.</summary>
    public string? Key { get; init; }

    /// <summary>The record's bytes, exactly as produced.</summary>
    public required ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>Headers in the order they were produced (may be empty).</summary>
    public IReadOnlyList<LogHeader> Headers { get; init; } = [];

    /// <summary>When the log accepted the record.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Position of this record.</summary>
    public TopicPartitionOffset Position => new(Topic, Partition, Offset);

    /// <summary>Returns the last header with that key, or null.</summary>
    public byte[]? GetHeader(string key)
    {
        for (var i = Headers.Count - 1; i >= 0; i--)
        {
            if (string.Equals(Headers[i].Key, key, StringComparison.Ordinal))
            {
                return Headers[i].Value;
            }
        }
        return null;
    }
}
