using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// The request's CSRF token for the console's forms and htmx requests. Helper "security" provides and checks it
/// (<c>Courier.Server.Security.Csrf</c>); until that lands this is the one place that asks for it.
/// </summary>
internal static class ConsoleCsrf
{
    /// <summary>The form field that carries the token.</summary>
    public const string FormField = "__csrf";

    /// <summary>The header htmx sends it in.</summary>
    public const string Header = "X-Courier-CSRF";

    /// <summary>The token to put in the page.</summary>
    public static string Token(HttpContext context) => "";
}
