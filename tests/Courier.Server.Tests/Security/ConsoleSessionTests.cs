using System.Net;
using Courier.Server.Security;
using Courier.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>
/// The console's session: it outlives a restart while its token is configured and ends when the token is removed;
/// a console page without a session sends the browser to sign in.
/// </summary>
public sealed class ConsoleSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASession_SurvivesARestart_ButNotTheRemovalOfItsToken()
    {
        using var data = new TempDirectory("session");
        var cookies = new CookieContainer();
        var alerts = new Uri("v1/alerts", UriKind.Relative);
        HttpStatusCode before, afterRestart, afterRemoval;
        await using (var first = await SecuredServer.StartAsync(dataDirectory: data.Path))
        {
            using var browser = ConsoleBrowser.Open(first, cookies);
            using var signedIn = await ConsoleBrowser.SignInAsync(browser, SecuredServer.ReadToken);
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            before = (await browser.GetAsync(alerts, Ct)).StatusCode;
        }
        await using (var second = await SecuredServer.StartAsync(dataDirectory: data.Path))
        {
            using var browser = ConsoleBrowser.Open(second, cookies);
            afterRestart = (await browser.GetAsync(alerts, Ct)).StatusCode;
        }
        var withoutReader = SecuredServer.StandardTokens.Where(t => t.Name != "reader").ToList();
        await using (var third = await SecuredServer.StartAsync(withoutReader, dataDirectory: data.Path))
        {
            using var browser = ConsoleBrowser.Open(third, cookies);
            afterRemoval = (await browser.GetAsync(alerts, Ct)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.OK, afterRestart);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRemoval);
    }

    [Fact]
    public async Task AConsolePage_WithoutASession_RedirectsToSignIn_AndHtmxGetsHxRedirect()
    {
        await using var server = await SecuredServer.StartAsync();
        // No console page is mapped by this part of the work; the check runs as it would for one, on the real listeners.
        var check = server.Server.Services.GetRequiredService<AccessCheck>();
        var page = await RunAsync(server, check, htmx: false);
        var fragment = await RunAsync(server, check, htmx: true);

        Assert.Equal(StatusCodes.Status302Found, page.Response.StatusCode);
        Assert.Equal("/ui/login?return=%2Fui%2Ftypes%2FmassMessage%3Frange%3D1h", page.Response.Headers.Location.ToString());
        Assert.Equal(StatusCodes.Status401Unauthorized, fragment.Response.StatusCode);
        Assert.Equal("/ui/login?return=%2Fui%2Ftypes%2FmassMessage%3Frange%3D1h", fragment.Response.Headers["HX-Redirect"].ToString());
    }

    private static async Task<HttpContext> RunAsync(SecuredServer server, AccessCheck check, bool htmx)
    {
        var context = new DefaultHttpContext { RequestServices = server.Server.Services };
        context.Request.Method = "GET";
        context.Request.Path = "/ui/types/massMessage";
        context.Request.QueryString = new QueryString("?range=1h");
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Connection.LocalPort = server.Server.AdminUrl!.Port;
        if (htmx)
        {
            context.Request.Headers["HX-Request"] = "true";
        }
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask,
            new EndpointMetadataCollection(new EndpointAccess(HttpSurface.Admin, AccessScope.Read)), "a console page"));
        var reached = false;
        await check.InvokeAsync(context, _ =>
        {
            reached = true;
            return Task.CompletedTask;
        });
        Assert.False(reached);
        return context;
    }
}
