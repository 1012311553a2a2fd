using Microsoft.Extensions.Logging;

namespace Courier.Runner.Telemetry;

/// <summary>
/// Log lines of the runner endpoint (event ids 4000–4099). Every refused or failed request is logged: warning for
/// what the dispatcher retries or a caller must fix (backpressure, signature, method, content type), error for what
/// loses a job to the error topic or fails it (decode, job failure); job failures name the runner's release
/// (<see cref="CourierOptions.Release"/>). The original's 400s were not logged at all.
/// </summary>
internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information,
        Message = "Courier runner at {Path}: job types {JobTypes}; signatures {Signatures}; execution limit {ExecutionLimitMs} ms; max concurrency {MaxConcurrency}")]
    public static partial void Started(ILogger logger, string path, string jobTypes, string signatures, long executionLimitMs, int maxConcurrency);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Courier runner at {Path} accepts unsigned requests (RequireSignature = false): anyone who can reach it can run jobs")]
    public static partial void Unsigned(ILogger logger, string path);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Runner refused a request with {Status} ({FailureClass}): {Message}")]
    public static partial void Refused(ILogger logger, int status, string failureClass, string message);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Runner refused a request with 403 (permanent): signature {Reason} (key id {KeyId}): {Message}")]
    public static partial void SignatureRejected(ILogger logger, string reason, string? keyId, string message);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error,
        Message = "Runner (release {Release}) could not decode a request: {Status} ({FailureClass}): {Message}")]
    public static partial void Undecodable(ILogger logger, string release, int status, string failureClass, string message);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}, release {Release}) could not be decoded: {Status} ({FailureClass}): {Message}")]
    public static partial void JobUndecodable(ILogger logger, string jobId, string jobType, string release, int status, string failureClass, string message);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}, release {Release}) refused with {Status} ({FailureClass}), retry after {RetryAfterSeconds} s: {Message}")]
    public static partial void Backpressure(ILogger logger, string jobId, string jobType, string release, int status, string failureClass, long retryAfterSeconds, string message);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error,
        Message = "Job {JobId} ({JobType}, release {Release}) attempt {Attempt} failed: {Status} ({FailureClass}): {Message}")]
    public static partial void JobFailed(ILogger logger, Exception? exception, string jobId, string jobType, string release, int attempt, int status, string failureClass, string message);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}, release {Release}) attempt {Attempt}: the dispatcher closed the connection before the answer; the job was cancelled and will be retried by the dispatcher")]
    public static partial void CallerGone(ILogger logger, string jobId, string jobType, string release, int attempt);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning,
        Message = "Job {JobId} ({JobType}) attempt {Attempt}: the handler ignored cancellation at the execution limit and is still running; it holds a concurrency slot until it returns")]
    public static partial void HandlerIgnoredCancellation(ILogger logger, string jobId, string jobType, int attempt);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning,
        Message = "Courier runner at {Path} accepts protocol v1 signatures (AcceptV1Signatures = true): v1 does not sign the method, target, host, attempt or timeout; turn it off once every dispatcher signs v2")]
    public static partial void AcceptsV1(ILogger logger, string path);
}
