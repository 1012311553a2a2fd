using System.Security.Claims;
using Courier.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Courier.Server.Security;

/// <summary>
/// The one access check of the dispatcher service, after routing: the endpoint's <see cref="EndpointAccess"/> decides.
/// No declaration, or a surface the connection's address does not serve: 404. Authentication on and no or an unknown
/// token: 401 (<c>WWW-Authenticate: Bearer</c>; the console's pages redirect to the sign-in page). A token without the
/// scope: 403. An unsafe admin request from the console's session or a browser without a valid CSRF token: 403; a
/// cross-site browser request to the intake: 403.
/// </summary>
internal sealed class AccessCheck(SurfaceListeners listeners, AccessTokens tokens, ConsoleSessions sessions, ILoggerFactory loggers)
{
    /// <summary>The display name ASP.NET Core routing gives its endpoint answering 405 when a route exists for other methods.</summary>
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    /// <summary>Where the console's sign-in page is.</summary>
    public const string LoginRoute = "/ui/login";

    private readonly ILogger _logger = loggers.CreateLogger(SecurityLog.Category);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.DisplayName == MethodNotAllowedEndpoint)
        {
            await next(context); // routing's own 404 or 405: nothing runs
            return;
        }
        var access = endpoint.Metadata.GetMetadata<EndpointAccess>();
        if (access is null || !listeners.Serves(context.Connection, access.Surface))
        {
            await JsonErrorAnswer.WriteAsync(context, StatusCodes.Status404NotFound, $"no endpoint {context.Request.Path} here");
            return;
        }
        var request = context.Request;
        var unsafeMethod = BrowserRequest.IsUnsafe(request);
        if (access.Surface == HttpSurface.Intake && unsafeMethod && BrowserRequest.IsCrossSite(request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "a cross-site browser request to the intake", "cross-site requests are refused");
            return;
        }
        var (caller, viaSession, bearerRefused) = Identify(context, access.Surface);
        if (tokens.Enabled && access.Scope is { } scope)
        {
            if (caller is null)
            {
                await UnauthenticatedAsync(context, bearerRefused);
                return;
            }
            if (!caller.Grants(scope))
            {
                var name = AccessToken.ScopeName(scope);
                await RefuseAsync(context, StatusCodes.Status403Forbidden, $"token without scope {name}", $"this needs a token with scope {name}");
                return;
            }
        }
        if (access.Surface == HttpSurface.Admin && unsafeMethod && (viaSession || BrowserRequest.IsBrowser(request)) && !await Csrf.IsValidAsync(context))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "no valid CSRF token",
                $"a browser's or the console's request must carry the page's CSRF token ({Csrf.HeaderName} header or {Csrf.FormField} field); reload the page");
            return;
        }
        await next(context);
    }

    /// <summary>The token of the request's bearer header, else (admin surface) of its console session; whether a bearer was refused.</summary>
    private (AccessToken? Caller, bool ViaSession, bool BearerRefused) Identify(HttpContext context, HttpSurface surface)
    {
        if (!tokens.Enabled)
        {
            return (null, false, false);
        }
        AccessToken? caller;
        var viaSession = false;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            caller = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? tokens.Authenticate(authorization[7..].Trim()) : null;
            if (caller is null)
            {
                return (null, false, true);
            }
        }
        else
        {
            caller = surface == HttpSurface.Admin ? sessions.Read(context) : null;
            viaSession = caller is not null;
        }
        if (caller is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name)], viaSession ? "CourierSession" : "Bearer"));
        }
        return (caller, viaSession, false);
    }

    private async Task UnauthenticatedAsync(HttpContext context, bool bearerRefused)
    {
        var request = context.Request;
        var reason = bearerRefused ? "unknown token or not a Bearer authorization" : "no token";
        if (request.Path.StartsWithSegments("/ui") && HttpMethods.IsGet(request.Method))
        {
            var login = $"{LoginRoute}?return={Uri.EscapeDataString(request.Path + request.QueryString)}";
            SecurityLog.Refused(_logger, context, StatusCodes.Status401Unauthorized, reason + " (console: sent to sign in)");
            if (request.Headers["HX-Request"].Count > 0)
            {
                context.Response.Headers["HX-Redirect"] = login; // htmx follows this instead of swapping in the answer
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            context.Response.Redirect(login);
            return;
        }
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"courier\"";
        await RefuseAsync(context, StatusCodes.Status401Unauthorized, reason,
            bearerRefused ? "the token is not accepted here" : "this needs a token: Authorization: Bearer <token> (courier: --token or COURIER_TOKEN)");
    }

    private Task RefuseAsync(HttpContext context, int status, string reason, string message)
    {
        SecurityLog.Refused(_logger, context, status, reason);
        return JsonErrorAnswer.WriteAsync(context, status, message);
    }
}
