using System.Net;
using Courier.Server.Demo;
using Courier.Server.Security;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>
/// CSRF: the console's cookie session and any browser request must carry the page's token to change something;
/// bearer and CLI calls need none; a cross-site browser POST to the intake is refused.
/// </summary>
public sealed class CsrfTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Uri Pause = new($"v1/types/{DemoJobTypes.MassMessage}/pause", UriKind.Relative);

    [Fact]
    public async Task ConsoleSession_PostWithoutTheCsrfToken_Is403_AndWithIt200()
    {
        await using var server = await SecuredServer.StartAsync();
        using var browser = ConsoleBrowser.Open(server);
        Assert.Equal(HttpStatusCode.SeeOther, (await ConsoleBrowser.SignInAsync(browser, SecuredServer.OperateToken)).StatusCode);
        var token = await ConsoleBrowser.CsrfOfAsync(browser);

        using var without = await browser.PostAsync(Pause, null, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, Pause);
        request.Headers.Add(Csrf.HeaderName, token);
        using var with = await browser.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Contains("CSRF", await without.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains("token operator", await with.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookieWithoutTheToken_AndAWrongTokenIsRefused()
    {
        await using var server = await SecuredServer.StartAsync();
        using var browser = ConsoleBrowser.Open(server);

        using var wrong = await ConsoleBrowser.SignInAsync(browser, "not-the-token", "/ui/dead-letters");
        using var response = await ConsoleBrowser.SignInAsync(browser, SecuredServer.ReadToken, "/ui/dead-letters");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/ui/dead-letters", response.Headers.Location!.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ConsoleSessions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SecuredServer.ReadToken, setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken.HashHex(SecuredServer.ReadToken), setCookie, StringComparison.OrdinalIgnoreCase);
        // The session reads, with the reader's scope only.
        using var reads = await browser.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var pause = new HttpRequestMessage(HttpMethod.Post, Pause);
        pause.Headers.Add(Csrf.HeaderName, await ConsoleBrowser.CsrfOfAsync(browser));
        using var pauses = await browser.SendAsync(pause, Ct);
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pauses.StatusCode);
        Assert.Contains("scope operate", await pauses.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrowserPostToTheLoopback_WithAuthOff_NeedsTheToken_WhileThePlainCliCallDoesNot()
    {
        await using var server = await SecuredServer.StartAsync(tokens: []);
        using var cli = server.Client(token: null);
        using var page = new HttpRequestMessage(HttpMethod.Post, Pause);
        page.Headers.Add("Origin", "https://evil.example");
        page.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var fromPage = await cli.SendAsync(page, Ct);
        using var fromCli = await cli.PostAsync(Pause, null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, fromPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromCli.StatusCode);
    }

    [Fact]
    public async Task CrossSiteBrowserPostToTheIntake_Is403()
    {
        await using var server = await SecuredServer.StartAsync(tokens: []);
        using var http = server.Client(token: null, server.Server.IntakeUrl);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/events", UriKind.Relative))
        {
            Content = new StringContent("[]", System.Text.Encoding.UTF8, "text/plain"),
        };
        crossSite.Headers.Add("Origin", "https://evil.example");
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/events", UriKind.Relative))
        {
            Content = new StringContent("[]", System.Text.Encoding.UTF8, "application/json"),
        };
        sameOrigin.Headers.Add("Origin", server.Server.IntakeUrl!.GetLeftPart(UriPartial.Authority));

        using var refused = await http.SendAsync(crossSite, Ct);
        using var accepted = await http.SendAsync(sameOrigin, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("cross-site", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Forbidden, accepted.StatusCode);
    }
}
