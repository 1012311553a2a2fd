using Microsoft.AspNetCore.Http;

namespace Courier.Server.Security;

/// <summary>What a request's headers tell about a browser sending it (<c>Origin</c>, <c>Sec-Fetch-Site</c>).</summary>
internal static class BrowserRequest
{
    /// <summary>POST, PUT, PATCH, DELETE: methods that change something.</summary>
    public static bool IsUnsafe(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method);

    /// <summary>Sent by a browser: it has <c>Origin</c> or <c>Sec-Fetch-Site</c> (which scripts cannot set), as CLI and API clients do not.</summary>
    public static bool IsBrowser(HttpRequest request) =>
        request.Headers.Origin.Count > 0 || request.Headers["Sec-Fetch-Site"].Count > 0;

    /// <summary>
    /// Sent by a page of another site: <c>Sec-Fetch-Site: cross-site</c>, or an <c>Origin</c> whose host and port are
    /// not the request's <c>Host</c> (<c>Origin: null</c>, from sandboxed frames and some redirects, counts as another).
    /// </summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
