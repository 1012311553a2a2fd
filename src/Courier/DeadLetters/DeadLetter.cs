using System.Globalization;
using System.Text;

namespace Courier;

/// <summary>A record of the error topic, read back: the original event plus why and when it failed.</summary>
public sealed class DeadLetter
{
    /// <summary>Where the dead letter is in the error topic.</summary>
    public required TopicPartitionOffset Position { get; init; }

    /// <summary>The original event's bytes, unchanged.</summary>
    public required ReadOnlyMemory<byte> OriginalEvent { get; init; }

    /// <summary>The original record's key.</summary>
    public string? Key { get; init; }

    /// <summary>Failure class; null if the header is missing or unknown.</summary>
    public FailureClass? Class { get; init; }

    /// <summary>Why it failed.</summary>
    public string? Message { get; init; }

    /// <summary>Job type, when known.</summary>
    public string? JobType { get; init; }

    /// <summary>Job id, when the event decoded.</summary>
    public string? JobId { get; init; }

    /// <summary>Executions done.</summary>
    public int Attempts { get; init; }

    /// <summary>The job topic the job came from.</summary>
    public string? OriginTopic { get; init; }

    /// <summary>Executor of the last attempt.</summary>
    public string? Executor { get; init; }

    /// <summary>Producer version recorded in the event.</summary>
    public string? ProducerVersion { get; init; }

    /// <summary>Dispatcher version that dead-lettered it.</summary>
    public string? DispatcherVersion { get; init; }

    /// <summary>
    /// The release that ran the last attempt (header <c>courier.release</c>): the runner's own when it announced one,
    /// else the dispatcher's. Null on dead letters written before releases were recorded.
    /// </summary>
    public string? Release { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>When it was dead-lettered.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Reads a dead letter from an error-topic record.</summary>
    public static DeadLetter FromRecord(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? H(string key) => record.GetHeader(key) is { } v ? Encoding.UTF8.GetString(v) : null;
        return new DeadLetter
        {
            Position = record.Position,
            OriginalEvent = record.Value,
            Key = record.Key,
            Class = FailureClasses.TryParse(H(CourierHeaders.FailureClass), out var c) ? c : null,
            Message = H(CourierHeaders.FailureMessage),
            JobType = H(CourierHeaders.JobType),
            JobId = H(CourierHeaders.JobId),
            Attempts = int.TryParse(H(CourierHeaders.Attempts), NumberStyles.Integer, CultureInfo.InvariantCulture, out var a) ? a : 0,
            OriginTopic = H(CourierHeaders.OriginTopic),
            Executor = H(CourierHeaders.Executor),
            ProducerVersion = H(CourierHeaders.ProducerVersion),
            DispatcherVersion = H(CourierHeaders.DispatcherVersion),
            Release = H(CourierHeaders.Release),
            FirstAttemptAt = ParseTime(H(CourierHeaders.FirstAttemptAt)),
            FailedAt = ParseTime(H(CourierHeaders.FailedAt)),
        };
    }

    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;
}
