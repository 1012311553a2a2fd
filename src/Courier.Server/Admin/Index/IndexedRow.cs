using System.Globalization;
using System.Text;

namespace Courier.Server.Admin.Index;

/// <summary>
/// One error-topic record as the dead-letter index keeps it: the facts the list shows and filters on, without the
/// original event and headers (read from the log by position when one dead letter is shown).
/// </summary>
internal sealed record IndexedRow
{
    /// <summary>Longest reason kept; the full message stays in the record.</summary>
    public const int MaxReason = 1000;

    public required int Partition { get; init; }
    public required long Offset { get; init; }
    public required long TimestampMs { get; init; }
    public string? Key { get; init; }
    public string? JobType { get; init; }
    public string? Class { get; init; }
    public string? JobId { get; init; }
    public string? Reason { get; init; }
    public int Attempts { get; init; }
    public string? OriginTopic { get; init; }
    public string? Executor { get; init; }
    public string? Release { get; init; }
    public string? ProducerVersion { get; init; }
    public string? DispatcherVersion { get; init; }
    public long? FirstAttemptAtMs { get; init; }
    public long? FailedAtMs { get; init; }

    /// <summary>The position of the dead letter this one is a failed replay of (header <c>courier.replay.of</c>).</summary>
    public string? ReplayOf { get; init; }

    /// <summary>Where it was replayed to (a position when this index's server replayed it, else the topic the ledger names).</summary>
    public string? ReplayedTo { get; init; }

    /// <summary>The row of an error-topic record.</summary>
    public static IndexedRow FromRecord(LogRecord record)
    {
        var d = DeadLetter.FromRecord(record);
        var reason = d.Message is { Length: > MaxReason } m ? m[..MaxReason] + "…" : d.Message;
        return new IndexedRow
        {
            Partition = record.Partition,
            Offset = record.Offset,
            TimestampMs = record.Timestamp.ToUnixTimeMilliseconds(),
            Key = d.Key,
            JobType = d.JobType,
            Class = d.Class?.ToWireName(),
            JobId = d.JobId,
            Reason = reason,
            Attempts = d.Attempts,
            OriginTopic = d.OriginTopic,
            Executor = d.Executor,
            Release = d.Release,
            ProducerVersion = d.ProducerVersion,
            DispatcherVersion = d.DispatcherVersion,
            FirstAttemptAtMs = d.FirstAttemptAt?.ToUnixTimeMilliseconds(),
            FailedAtMs = d.FailedAt?.ToUnixTimeMilliseconds(),
            ReplayOf = record.GetHeader(CourierHeaders.ReplayOf) is { } of ? Encoding.UTF8.GetString(of) : null,
        };
    }

    /// <summary>
    /// The entry the list shows: every field of the dead letter but its original event and headers (empty here;
    /// <see cref="IDeadLetterBrowser.GetAsync"/> reads them).
    /// </summary>
    public DeadLetterEntry ToEntry(string topic) => new()
    {
        DeadLetter = new DeadLetter
        {
            Position = new TopicPartitionOffset(topic, Partition, Offset),
            OriginalEvent = ReadOnlyMemory<byte>.Empty,
            Key = Key,
            Class = FailureClasses.TryParse(Class, out var c) ? c : null,
            Message = Reason,
            JobType = JobType,
            JobId = JobId,
            Attempts = Attempts,
            OriginTopic = OriginTopic,
            Executor = Executor,
            ProducerVersion = ProducerVersion,
            DispatcherVersion = DispatcherVersion,
            Release = Release,
            FirstAttemptAt = FirstAttemptAtMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            FailedAt = FailedAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        },
        Headers = [],
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs),
        ReplayedTo = ReplayedTo,
    };

    /// <summary>The keyset cursor after this row (newest-first order: timestamp, partition, offset).</summary>
    public string Cursor() => IndexCursor.Encode(TimestampMs, Partition, Offset);

    /// <summary>For messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Partition}:{Offset}");
}
