using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Security;

/// <summary>
/// Cross-site request forgery protection of the admin surface (ASP.NET Core antiforgery). A page puts
/// <see cref="Token"/> in <c>&lt;meta name="courier-csrf"&gt;</c>; its requests send it as the header
/// <see cref="HeaderName"/> (htmx: <c>hx-headers</c> on <c>&lt;body&gt;</c>) or the form field <see cref="FormField"/>.
/// An unsafe request (POST, PUT, PATCH, DELETE) to the admin surface needs a valid one when the console's session
/// cookie authenticates it or a browser sends it; bearer-token and CLI calls need none.
/// </summary>
internal static class Csrf
{
    /// <summary>The request header that carries the token.</summary>
    public const string HeaderName = "X-Courier-CSRF";

    /// <summary>The form field that carries the token.</summary>
    public const string FormField = "__csrf";

    /// <summary>The name of the <c>&lt;meta&gt;</c> element pages put the token in.</summary>
    public const string MetaName = "courier-csrf";

    /// <summary>The cookie that holds the other half of the token pair.</summary>
    public const string CookieName = "courier-csrf";

    /// <summary>The token for pages rendered in answer to <paramref name="context"/> (it sets the paired cookie when needed).</summary>
    public static string Token(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken
            ?? throw new InvalidOperationException("antiforgery issued no request token");
    }

    /// <summary>Whether the request carries a valid token (header or form field, with the paired cookie).</summary>
    internal static async Task<bool> IsValidAsync(HttpContext context)
    {
        try
        {
            return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return false; // a malformed form body
        }
    }

    /// <summary>Antiforgery's settings for the names above.</summary>
    internal static void Configure(AntiforgeryOptions options)
    {
        options.HeaderName = HeaderName;
        options.FormFieldName = FormField;
        options.Cookie.Name = CookieName;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
    }
}
