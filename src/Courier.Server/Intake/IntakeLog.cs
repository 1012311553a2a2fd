using Microsoft.Extensions.Logging;

namespace Courier.Server.Intake;

/// <summary>Log lines of the intake endpoint (event ids 5000–5099). Refusals are warnings: the producer must fix them.</summary>
internal static partial class IntakeLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning,
        Message = "Intake refused a request with {Status}: {Message}")]
    public static partial void Refused(ILogger logger, int status, string message);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Intake rejected {Rejected} of {Count} events (answered {Status}); first: event {Index} ({JobId}, {JobType}), {Reason}: {Error}")]
    public static partial void Rejected(ILogger logger, int rejected, int count, int status, int index, string? jobId, string? jobType, string reason, string error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error,
        Message = "Intake could not append {Count} events to the job log (answered 503; any of them may or may not be in the log)")]
    public static partial void AppendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Intake accepted {Count} events")]
    public static partial void Accepted(ILogger logger, int count);
}
