using Microsoft.Extensions.Logging;

namespace Courier.Recurring;

/// <summary>The recurring scheduler's log lines.</summary>
internal static partial class RecurringLog
{
    [LoggerMessage(7401, LogLevel.Information, "Recurring job {Name} enqueued {JobType} job {JobId} for tick {Tick:o}")]
    public static partial void Enqueued(ILogger logger, string name, string jobType, string jobId, DateTimeOffset tick);

    [LoggerMessage(7402, LogLevel.Warning, "Recurring job {Name} missed {Missed} ticks from {First:o} to {Last:o}; catch-up {Policy} enqueues {Enqueued} of them")]
    public static partial void CaughtUp(ILogger logger, string name, int missed, DateTimeOffset first, DateTimeOffset last, string policy, int enqueued);

    [LoggerMessage(7403, LogLevel.Error, "Recurring job {Name}: writing the job for tick {Tick:o} failed; the tick is given back and tried again at the next pass")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception, string name, DateTimeOffset tick);

    [LoggerMessage(7404, LogLevel.Warning, "Recurring job {Name}: state store {Store} failed ({Operation}); going on without it (a tick may be enqueued by more than one dispatcher, with the same job id)")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string name, string store, string operation);

    [LoggerMessage(7406, LogLevel.Error, "Recurring job {Name}: a pass over its due ticks failed; they are looked at again at the next tick")]
    public static partial void PassFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(7405, LogLevel.Information, "Recurring jobs without a state store: each tick is claimed by this dispatcher alone and missed ticks are not known after a restart")]
    public static partial void NoStore(ILogger logger);
}
