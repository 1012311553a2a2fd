using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;

namespace Courier.Server.Security;

/// <summary>
/// The console's sign-in: a cookie holding the SHA-256 of the token signed in with, encrypted and authenticated with
/// ASP.NET Core DataProtection (keys in the data directory) and good for <see cref="Lifetime"/>. Each request finds
/// the token again among the configured ones, so a session ends when its token is removed (rotation, restart).
/// The token itself is never in the cookie.
/// </summary>
internal sealed class ConsoleSessions(IDataProtectionProvider protection, AccessTokens tokens)
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "courier-session";

    /// <summary>How long a sign-in lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Courier.Console.Session.v1").ToTimeLimitedDataProtector();

    /// <summary>Signs the browser in with <paramref name="token"/>.</summary>
    public void SignIn(HttpContext context, AccessToken token)
    {
        var value = _protector.Protect(Convert.ToHexString(token.HashBytes), Lifetime);
        context.Response.Cookies.Append(CookieName, value, Options(context));
    }

    /// <summary>Ends the browser's session (the cookie is removed).</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    /// <summary>The configured token the request's session cookie stands for, if it has a valid one.</summary>
    public AccessToken? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return tokens.FindByHash(Convert.FromHexString(_protector.Unprotect(value)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null; // expired, from other keys, or tampered with
        }
    }

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
