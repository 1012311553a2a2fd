using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Courier.Server.Hosting;

/// <summary>
/// Refuses, 400, a request whose <c>Host</c> is not one of the allowed names (any port; <c>*.example.org</c> and
/// <c>*</c> as <see cref="HostString.MatchesAny"/> reads them), before any endpoint runs: a web page that rebinds its
/// own name to 127.0.0.1 sends its own name as the host. A request without a host (HTTP/1.0) is let through, as no
/// browser sends one. ASP.NET Core's HostFilteringMiddleware matches the same way, but answers with an HTML page that
/// cannot say how to allow a host.
/// </summary>
internal sealed class HostAllowList
{
    private readonly StringSegment[] _patterns;
    private readonly string _allowed;
    private readonly ILogger _logger;

    public HostAllowList(IReadOnlyList<string> hosts, ILoggerFactory loggers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(hosts.Count, nameof(hosts));
        _patterns = [.. hosts.Select(h => new StringSegment(h))];
        _allowed = string.Join(", ", hosts);
        _logger = loggers.CreateLogger("Courier.Server.Hosts");
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host;
        if (!host.HasValue || HostString.MatchesAny(new StringSegment(host.Host), _patterns))
        {
            await next(context);
            return;
        }
        var message = $"host '{host.Host}' is not allowed: this server answers {_allowed} (allow another in http.allowed_hosts)";
        HostLog.Refused(_logger, host.Host, context.Request.Path);
        await JsonErrorAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, message);
    }
}
