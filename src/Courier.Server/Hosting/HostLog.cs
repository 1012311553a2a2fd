using Microsoft.Extensions.Logging;

namespace Courier.Server.Hosting;

/// <summary>Log lines of the service's HTTP host (event ids 5100–5199).</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning,
        Message = "Refused a request for {Path} with host '{Host}', which is not an allowed host (http.allowed_hosts)")]
    public static partial void Refused(ILogger logger, string host, string path);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void StateStoreWarning(ILogger logger, string warning);
}
