using Microsoft.Extensions.Logging;

namespace Courier.Cli.Logging;

/// <summary>
/// A command's status lines and its failure as log events (event ids 3200–3299), for <see cref="LogFormat.Json"/>,
/// where stderr carries nothing but log events.
/// </summary>
internal static partial class StatusLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "{Status}")]
    public static partial void Status(ILogger logger, string status);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "{Error}")]
    public static partial void Failed(ILogger logger, string error, Exception? exception);
}
