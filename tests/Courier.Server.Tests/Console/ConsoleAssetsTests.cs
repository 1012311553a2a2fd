using System.Net;
using System.Net.Http.Headers;
using Courier.Server.Tests.Control;
using Xunit;

namespace Courier.Server.Tests.Console;

/// <summary>
/// The console's static files, vendored from npm at build time and embedded: served from the assembly with their
/// content types, a year's cache and an ETag, and linked by the pages with a version (no CDN, works offline).
/// </summary>
public sealed class ConsoleAssetsTests() : ServedControlTests("")
{
    [Theory]
    [InlineData("htmx.min.js", "text/javascript", "htmx")]
    [InlineData("uPlot.iife.min.js", "text/javascript", "uPlot")]
    [InlineData("uPlot.min.css", "text/css", ".uplot")]
    [InlineData("console.css", "text/css", "table.data")]
    [InlineData("console.js", "text/javascript", "data-source")]
    public async Task Asset_IsServedWithItsContentType_CachedForAYear_AndRevalidatedByETag(string file, string contentType, string contains)
    {
        using var response = await Host.Http.GetAsync($"/ui/assets/{file}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(contains, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        var etag = response.Headers.ETag ?? throw new InvalidOperationException("no ETag");

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/ui/assets/{file}");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var revalidated = await Host.Http.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task UnknownAsset_Is404()
    {
        using var response = await Host.Http.GetAsync("/ui/assets/jquery.js", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_LinksTheAssetsByVersion_FromThisServerOnly_AndCarriesTheCsrfToken()
    {
        var html = await Host.Http.GetStringAsync("/ui/alerts", Ct);

        Assert.Matches("""<script src="/ui/assets/htmx.min.js\?v=[0-9a-f]{12}" defer></script>""", html);
        Assert.Matches("""<link rel="stylesheet" href="/ui/assets/console.css\?v=[0-9a-f]{12}">""", html);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("""<meta name="courier-csrf" content=""", html, StringComparison.Ordinal);
        Assert.Contains("hx-headers=\"{&quot;X-Courier-CSRF&quot;:", html, StringComparison.Ordinal);
    }
}
