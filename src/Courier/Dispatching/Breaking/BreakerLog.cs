using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Breaking;

/// <summary>The breakers' log lines: a warning when one opens, information when it probes and closes.</summary>
internal static partial class BreakerLog
{
    [LoggerMessage(40, LogLevel.Warning, "Circuit breaker of job type {JobType} opened for {OpenFor}: its jobs wait in the log, failures are held ({Reason})")]
    public static partial void Opened(ILogger logger, string jobType, TimeSpan openFor, string reason);

    [LoggerMessage(41, LogLevel.Information, "Circuit breaker of job type {JobType} half-open: {Jobs} jobs let through on trial")]
    public static partial void HalfOpen(ILogger logger, string jobType, int jobs);

    [LoggerMessage(42, LogLevel.Information, "Circuit breaker of job type {JobType} closed: {Why}")]
    public static partial void Closed(ILogger logger, string jobType, string why);
}
