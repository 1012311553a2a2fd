using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Security;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Courier.Browser.Tests;

/// <summary>
/// With a token configured the console asks for one (the sign-in page) and the API answers 401 without it; signed in,
/// the console shows the types and its buttons act (their CSRF token accepted with the session).
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Secret = "console-test-secret-0123456789";
    private const string ReadOnly = "console-test-viewer-9876543210";
    private readonly TempDirectory _dir = new("console-auth");
    private CourierServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(_dir.Path),
            Demo = true,
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            Tokens = [AccessToken.FromSecret("operator", Secret, AccessScope.Read, AccessScope.Operate), AccessToken.FromSecret("viewer", ReadOnly, AccessScope.Read)],
            Environment = _ => null,
        });
        await _server.StartAsync(Ct);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _server.StopAsync(CancellationToken.None);
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task WithATokenConfigured_TheConsoleAsksForOne_AndTheApiAnswers401()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseUrl };
        using (var anonymous = await http.GetAsync("/v1/types", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/types"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
            using var authorized = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui");
        await Expect(page).ToHaveURLAsync(new Regex("/ui/login"));
        await page.Locator("#token").FillAsync("not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");

        await page.Locator("#token").FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/ui$"));
        var row = page.Locator("#types tr[data-type=massMessage]");
        await row.Locator("[data-action=pause]").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("paused");
        Assert.True(_server.Dispatcher.GetStats().Single(s => s.Type == "massMessage").Paused);
    }

    [Fact]
    public async Task AReadOnlyToken_SeesTheConsole_AndAPauseIsRefusedWithA403ItShows()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.BaseUrl!.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui");
        await page.Locator("#token").FillAsync(ReadOnly);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var row = page.Locator("#types tr[data-type=refreshLinks]");
        await row.Locator("[data-action=pause]").ClickAsync();

        await Expect(page.Locator("#console-error")).ToContainTextAsync("403");
        Assert.False(_server.Dispatcher.GetStats().Single(s => s.Type == "refreshLinks").Paused);
    }
}
