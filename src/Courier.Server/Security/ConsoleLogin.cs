using Courier.Server.Console;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Security;

/// <summary>
/// The console's sign-in: <c>GET /ui/login</c> (a form for a token), <c>POST /ui/login</c> (checks it and sets the
/// session cookie: <see cref="ConsoleSessions"/>), <c>POST /ui/logout</c>. Both POSTs need the page's CSRF token.
/// </summary>
internal static class ConsoleLogin
{
    /// <summary>The sign-out route.</summary>
    public const string LogoutRoute = "/ui/logout";

    private const string ConsoleRoot = "/ui";

    /// <summary>Maps the three endpoints on the admin surface, open to callers without a token.</summary>
    public static void MapConsoleLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet(AccessCheck.LoginRoute, (HttpContext context) => Page(context, StatusCodes.Status200OK, problem: null))
            .WithDisplayName("Courier console sign-in page").RequireAccess(HttpSurface.Admin, scope: null);
        app.MapPost(AccessCheck.LoginRoute, SignInAsync)
            .WithDisplayName("Courier console sign-in").RequireAccess(HttpSurface.Admin, scope: null);
        app.MapPost(LogoutRoute, (HttpContext context) =>
        {
            ConsoleSessions.SignOut(context);
            context.Response.Redirect(AccessCheck.LoginRoute);
            return Task.CompletedTask;
        }).WithDisplayName("Courier console sign-out").RequireAccess(HttpSurface.Admin, scope: null);
    }

    private static async Task SignInAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var services = context.RequestServices;
        var token = services.GetRequiredService<AccessTokens>().Authenticate(form["token"].ToString().Trim());
        if (token is null)
        {
            SecurityLog.Refused(services.GetRequiredService<ILoggerFactory>().CreateLogger(SecurityLog.Category), context,
                StatusCodes.Status401Unauthorized, "console sign-in with an unknown token");
            await Page(context, StatusCodes.Status401Unauthorized, "That token is not accepted here.");
            return;
        }
        services.GetRequiredService<ConsoleSessions>().SignIn(context, token);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = SafeReturn(form["return"].ToString());
    }

    /// <summary>A return address within the console only (no other site, no protocol-relative <c>//host</c>).</summary>
    internal static string SafeReturn(string? path) =>
        path is { Length: > 0 } p && (p == ConsoleRoot || p.StartsWith(ConsoleRoot + "/", StringComparison.Ordinal) || p.StartsWith(ConsoleRoot + "?", StringComparison.Ordinal))
            && !p.Contains("//", StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal)
            ? p
            : ConsoleRoot;

    private static Task Page(HttpContext context, int status, string? problem)
    {
        var enabled = context.RequestServices.GetRequiredService<AccessTokens>().Enabled;
        var back = SafeReturn(context.Request.Query["return"].ToString() is { Length: > 0 } q ? q : null);
        var form = enabled
            ? Html.Of($"""
              <form method="post" action="{AccessCheck.LoginRoute}" class="login">
                {ConsoleLayout.CsrfField(context)}
                <input type="hidden" name="return" value="{back}">
                <label for="token">Token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
                <button type="submit">Sign in</button>
              </form>
              {(problem is null ? Html.Empty : Html.Of($"""<p class="error" role="alert">{problem}</p>"""))}
              <p class="hint">A token with scope read shows the console; operate also lets you pause, replay and cancel.</p>
              """)
            : Html.Of($"""<p>This dispatcher has no tokens configured: the console needs no sign-in. <a href="{back}">Open the console</a>.</p>""");
        var html = ConsoleLayout.Bare(context, "Sign in", "login-page", Html.Of($"""
            <h1>Courier</h1>
            {form}
            """));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
