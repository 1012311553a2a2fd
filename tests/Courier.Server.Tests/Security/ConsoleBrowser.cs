using System.Net;
using System.Text.RegularExpressions;
using Courier.Server.Security;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>A browser for the console in tests: cookies kept, redirects not followed, sign-in through the real form.</summary>
internal static partial class ConsoleBrowser
{
    public static HttpClient Open(SecuredServer server, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = server.Server.AdminUrl,
        };

    /// <summary>Signs in as a browser does: GET the page (CSRF cookie and field), POST the token with the page's origin.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string returnTo = "/ui")
    {
        var csrf = await CsrfOfAsync(browser);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Csrf.FormField] = csrf,
            ["token"] = token,
            ["return"] = returnTo,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("ui/login", UriKind.Relative)) { Content = form };
        request.Headers.Add("Origin", browser.BaseAddress!.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await browser.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The CSRF token of the sign-in page's <c>&lt;meta name="courier-csrf"&gt;</c> (bound to the session, if any).</summary>
    public static async Task<string> CsrfOfAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync(new Uri("ui/login", UriKind.Relative), TestContext.Current.CancellationToken);
        return WebUtility.HtmlDecode(MetaCsrf().Match(page).Groups[1].Value);
    }

    [GeneratedRegex("<meta name=\"courier-csrf\" content=\"([^\"]+)\"")]
    private static partial Regex MetaCsrf();
}
