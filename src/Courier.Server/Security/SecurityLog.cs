using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Security;

/// <summary>
/// Log lines of the HTTP surfaces' security (event ids 5200–5299). None carries a token or a token's name: a
/// refusal says why in general terms and who asked (the remote address).
/// </summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} from {Remote} with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string? remote, int status, string reason);

    /// <summary>The category of these lines.</summary>
    public const string Category = "Courier.Server.Security";

    /// <summary>A refusal of <paramref name="context"/>'s request with <paramref name="status"/>, for a name-free <paramref name="reason"/>.</summary>
    public static void Refused(ILogger logger, HttpContext context, int status, string reason) =>
        Refused(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString(), status, reason);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning,
        Message = "The {Surface} surface listens on {Address}, reachable from the network, with no token configured "
            + "(auth.allow_unauthenticated_network is true): anyone who can connect can use it")]
    public static partial void Unauthenticated(ILogger logger, string surface, string address);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Authentication is on: {Count} token(s) accepted on the admin and intake surfaces")]
    public static partial void TokensLoaded(ILogger logger, int count);
}
