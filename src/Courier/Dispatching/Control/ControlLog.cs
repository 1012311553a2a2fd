using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Control;

/// <summary>The control topic reader's log lines.</summary>
internal static partial class ControlLog
{
    [LoggerMessage(45, LogLevel.Information, "Control topic: {Action} of job type {JobType} by {By} at {At} applied")]
    public static partial void Applied(ILogger logger, string jobType, string action, string by, DateTimeOffset at);

    [LoggerMessage(46, LogLevel.Error, "Reading the control topic {Topic} failed: pauses and resumes from courier pause/resume do not reach this dispatcher until it succeeds")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(47, LogLevel.Warning, "The control topic {Topic} was not read to its end within {Bound}; starting anyway (its pauses apply once read)")]
    public static partial void CatchUpSlow(ILogger logger, string topic, TimeSpan bound);
}
