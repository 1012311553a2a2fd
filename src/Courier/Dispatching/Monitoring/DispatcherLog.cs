using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Monitoring;

/// <summary>
/// The dispatcher's log lines. Every failure is a warning or an error with job id, type, class and release — the original
/// logged execution errors at info level behind a warn-level logger, so they never reached anyone
/// (docs/original-system.md, "Dispatcher rules").
/// </summary>
internal static partial class DispatcherLog
{
    [LoggerMessage(1, LogLevel.Information, "Dispatcher started on {Engine}: {TypeCount} job types, {TopicCount} topics, group {GroupId}")]
    public static partial void Started(ILogger logger, string engine, int typeCount, int topicCount, string groupId);

    [LoggerMessage(2, LogLevel.Information, "Dispatcher stopped: {InFlight} jobs still in flight were left uncommitted for redelivery")]
    public static partial void Stopped(ILogger logger, int inFlight);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId} ({JobType}, release {Release}) attempt {Attempt} failed ({FailureClass}); retry {Retry} of {Limit} in {Delay}: {Message}")]
    public static partial void Retrying(ILogger logger, string jobId, string jobType, int attempt, string failureClass, string release, int retry, int limit, TimeSpan delay, string? message);

    [LoggerMessage(4, LogLevel.Error, "Job {JobId} ({JobType}, release {Release}) dead-lettered after {Attempts} attempts ({FailureClass}): {Message}")]
    public static partial void DeadLettered(ILogger logger, string jobId, string jobType, int attempts, string failureClass, string release, string? message);

    [LoggerMessage(5, LogLevel.Error, "Record {Position} (job {JobId}, {JobType}, release {Release}) cannot be decoded and was dead-lettered (decode, {Reason}): {Message}")]
    public static partial void DecodeFailed(ILogger logger, string position, string jobId, string jobType, string reason, string release, string? message);

    [LoggerMessage(6, LogLevel.Warning, "Job {JobId} ({JobType}, release {Release}) hit backpressure ({FailureClass}); trying again in {Delay} without spending an attempt: {Message}")]
    public static partial void Backpressure(ILogger logger, string jobId, string jobType, string failureClass, string release, TimeSpan delay, string? message);

    [LoggerMessage(7, LogLevel.Error, "Writing the {Kind} record of job {JobId} to {Topic} failed; retrying in {Delay} (the job stays uncommitted)")]
    public static partial void RouteFailed(ILogger logger, Exception exception, string kind, string jobId, string topic, TimeSpan delay);

    [LoggerMessage(8, LogLevel.Warning, "Committing offsets failed; will retry")]
    public static partial void CommitFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Reading the job log failed; backing off {Delay}")]
    public static partial void ConsumeFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Information, "Partitions assigned: {Partitions}")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(11, LogLevel.Information, "Partitions revoked: {Partitions}; drained {Drained} in-flight jobs")]
    public static partial void Revoked(ILogger logger, string partitions, int drained);

    [LoggerMessage(12, LogLevel.Warning, "Job {JobId} ({JobType}, release {Release}) failed ({FailureClass}) and the rule ignores that class; counted as ignored: {Message}")]
    public static partial void Ignored(ILogger logger, string jobId, string jobType, string failureClass, string release, string? message);

    [LoggerMessage(13, LogLevel.Error, "Dispatcher consumer thread crashed")]
    public static partial void LoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "Pattern rule {Rule} picked up job type {JobType} ({Topic}) with a budget of its own")]
    public static partial void PatternMatched(ILogger logger, string rule, string jobType, string topic);

    [LoggerMessage(16, LogLevel.Warning, "Reading consumer lag failed; lag metrics keep their last values")]
    public static partial void LagReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(17, LogLevel.Error, "The job log consumer hit a fatal error; replacing it with a new one (jobs it held are read again, running ones may run twice)")]
    public static partial void ConsumerReplaced(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Drain bound of {Timeout} passed with {InFlight} jobs in flight; cancelling them (they stay uncommitted and will be redelivered)")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, int inFlight);

    [LoggerMessage(18, LogLevel.Warning, "Job type {JobType} paused: its partitions are not fetched and its jobs wait in the log ({Reason})")]
    public static partial void Paused(ILogger logger, string jobType, string reason);

    [LoggerMessage(19, LogLevel.Warning, "Job type {JobType} resumed after a pause of {Duration} ({Reason})")]
    public static partial void Resumed(ILogger logger, string jobType, TimeSpan duration, string reason);

    [LoggerMessage(20, LogLevel.Warning, "Job {JobId} ({JobType}, release {Release}) attempt {Attempt} failed ({FailureClass}) and is held ({Reason}): retried without spending an attempt: {Message}")]
    public static partial void Held(ILogger logger, string jobId, string jobType, int attempt, string failureClass, string release, string reason, string? message);

    [LoggerMessage(21, LogLevel.Warning, "Probe {JobId} of {JobType} (release {Release}) failed ({FailureClass}); counted as probe_failed and committed: {Message}")]
    public static partial void ProbeFailed(ILogger logger, string jobId, string jobType, string failureClass, string release, string? message);

    [LoggerMessage(22, LogLevel.Error, "Probe of {JobType} could not be written to {Topic}; the next interval tries again")]
    public static partial void ProbeNotWritten(ILogger logger, Exception exception, string jobType, string topic);

    [LoggerMessage(EventId = 23, Message = "Job {JobId} ({JobType}) attempt {Attempt} not run: {State} ({Reason})")]
    public static partial void Skipped(ILogger logger, LogLevel level, string jobId, string jobType, int attempt, string state, string reason);

    [LoggerMessage(24, LogLevel.Information, "Job {JobId} ({JobType}) attempt {Attempt} waits {Delay} in a retry tier: {Reason}")]
    public static partial void Waiting(ILogger logger, string jobId, string jobType, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(25, LogLevel.Warning, "No state store: deduplication, root-job supersession, recurring jobs, cancellation of pending jobs and shared rate limits are off")]
    public static partial void NoStateStore(ILogger logger);
}
