namespace Courier;

/// <summary>
/// Names of the record headers Courier writes on retry and dead-letter records. The record value is always the
/// original event's bytes, unchanged, so a dead letter can be replayed byte for byte and read by any Kafka tool.
/// </summary>
public static class CourierHeaders
{
    /// <summary>Failure class of the last attempt: decode, retryable, permanent, backpressure.</summary>
    public const string FailureClass = "courier.failure.class";

    /// <summary>Why the last attempt failed.</summary>
    public const string FailureMessage = "courier.failure.message";

    /// <summary>Executions done so far (dead letter), or the number of the attempt a retry record carries.</summary>
    public const string Attempts = "courier.attempts";

    /// <summary>When a retry record is due, in Unix milliseconds.</summary>
    public const string DueAt = "courier.due";

    /// <summary>Backpressure waits so far (they spend no attempt).</summary>
    public const string BackpressureCount = "courier.backpressure";

    /// <summary>The job type, when known.</summary>
    public const string JobType = "courier.job.type";

    /// <summary>The job id (<c>meta.id</c>), when the event decoded.</summary>
    public const string JobId = "courier.job.id";

    /// <summary>The job topic the job was first read from.</summary>
    public const string OriginTopic = "courier.origin.topic";

    /// <summary>The partition of the first record.</summary>
    public const string OriginPartition = "courier.origin.partition";

    /// <summary>The offset of the first record.</summary>
    public const string OriginOffset = "courier.origin.offset";

    /// <summary>The executor that ran the last attempt.</summary>
    public const string Executor = "courier.executor";

    /// <summary>The producer (name/version) recorded in the event.</summary>
    public const string ProducerVersion = "courier.producer.version";

    /// <summary>The dispatcher's own version.</summary>
    public const string DispatcherVersion = "courier.dispatcher.version";

    /// <summary>When the first attempt started (ISO-8601).</summary>
    public const string FirstAttemptAt = "courier.first_attempt.at";

    /// <summary>When the job was dead-lettered (ISO-8601).</summary>
    public const string FailedAt = "courier.failed.at";

    /// <summary>On a replayed record: the error-topic position it was replayed from.</summary>
    public const string ReplayOf = "courier.replay.of";

    /// <summary>On a synthetic probe's record (value <c>1</c>): the job is a probe, not real work (see docs/operations.md "Probes").</summary>
    public const string Probe = "courier.probe";

    /// <summary>On retry and dead-letter records: the release of the executor whose attempt failed.</summary>
    public const string Release = "courier.release";

    /// <summary>
    /// On a retry record written without spending an attempt because the failure is not held against the job
    /// (<c>breaker</c>: its type's breaker was open; <c>canary</c>: a canary release failed it and it re-runs on stable).
    /// </summary>
    public const string Held = "courier.held";

    /// <summary>
    /// On a retry record written because another reader was running the same record (a group member expelled but still
    /// fetching, or a re-read after a rebalance): the run-claim key it waits on. Its read claims that key, not its own,
    /// so it runs only if that run vanished, and ends deduplicated once that run has an outcome.
    /// </summary>
    public const string Claim = "courier.claim";
    /// <summary>
    /// The job-topic record a retry record, partitioned copy or dead letter stands for, as its
    /// <see cref="OriginTopic"/>, <see cref="OriginPartition"/> and <see cref="OriginOffset"/> headers name it; false when
    /// one is missing or does not hold a position.
    /// </summary>
    public static bool TryReadOrigin(LogRecord record, out TopicPartitionOffset origin)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.GetHeader(OriginTopic) is { Length: > 0 } topic
            && ReadLong(record, OriginPartition) is { } partition and >= 0 and <= int.MaxValue
            && ReadLong(record, OriginOffset) is { } offset and >= 0)
        {
            origin = new TopicPartitionOffset(System.Text.Encoding.UTF8.GetString(topic), (int)partition, offset);
            return true;
        }
        origin = default;
        return false;
    }

    /// <summary>A header holding an integer (such as <see cref="Attempts"/>); null when it is missing or not one.</summary>
    public static long? ReadLong(LogRecord record, string header)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.GetHeader(header) is { } bytes
            && long.TryParse(System.Text.Encoding.UTF8.GetString(bytes), System.Globalization.NumberStyles.Integer,
                System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }
}
