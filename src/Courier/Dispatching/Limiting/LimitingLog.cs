using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Limiting;

/// <summary>The rate limits' log lines.</summary>
internal static partial class LimitingLog
{
    [LoggerMessage(7451, LogLevel.Warning, "Rate limit: state store {Store} failed counting {Key}; the job starts (fail open)")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string store, string key);
}
