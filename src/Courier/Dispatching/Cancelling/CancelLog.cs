using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Cancelling;

/// <summary>The log lines of cancellations.</summary>
internal static partial class CancelLog
{
    [LoggerMessage(7300, LogLevel.Warning, "Job {JobId} cancelled while running on this dispatcher: {Reason}")]
    public static partial void RunningCancelled(ILogger logger, string jobId, string reason);

    [LoggerMessage(7301, LogLevel.Information, "Cancellation of job {JobId} recorded until {Expires}: {Reason}")]
    public static partial void Recorded(ILogger logger, string jobId, DateTimeOffset expires, string reason);

    [LoggerMessage(7302, LogLevel.Warning, "State store {Store} failed to {Operation} the cancellation of job {JobId}; going on without it (fail open)")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string store, string operation, string jobId);
}
