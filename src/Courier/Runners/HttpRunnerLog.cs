using Microsoft.Extensions.Logging;

namespace Courier.Runners;

/// <summary>Log lines of the HTTP runner executor (event ids 1200–1299).</summary>
internal static partial class HttpRunnerLog
{
    [LoggerMessage(1200, LogLevel.Information, "Runner pool {Pool}: {Mode} mode, {Endpoints}, up to {Connections} connections per runner, signed with key {KeyId}")]
    public static partial void PoolCreated(ILogger logger, string pool, string mode, string endpoints, string connections, string keyId);

    [LoggerMessage(1201, LogLevel.Warning, "Runner pool {Pool}: {Endpoint} cannot be reached ({Reason}); job {JobId} ({JobType}) goes to {Next} instead")]
    public static partial void FailedOver(ILogger logger, string pool, string endpoint, string reason, string jobId, string jobType, string next);

    [LoggerMessage(1202, LogLevel.Warning,
        "Runner pool {Pool}: {Endpoint} says its execution limit is {RunnerLimitMs} ms, not shorter than the timeout {TimeoutMs} ms of job type {JobType} " +
        "(the pool is configured with {ConfiguredLimitMs} ms): a job the runner still works on can time out in the dispatcher and run again. " +
        "Raise the rule's timeout or lower the runner's limit")]
    public static partial void ExecutionLimitTooLong(ILogger logger, string pool, string endpoint, long runnerLimitMs, long timeoutMs, string jobType, long configuredLimitMs);
}
