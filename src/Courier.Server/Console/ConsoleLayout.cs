using System.Text.Json;
using Courier.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// The frame of every console page: the navigation, the CSRF token (meta tag, and htmx's <c>hx-headers</c> on the
/// body so every htmx request sends it), the stylesheets and scripts from <see cref="ConsoleAssets"/>.
/// </summary>
internal static class ConsoleLayout
{
    /// <summary>The sections of the navigation.</summary>
    public enum Section
    {
        /// <summary>/ui and the type pages.</summary>
        Overview,

        /// <summary>/ui/dead-letters.</summary>
        DeadLetters,

        /// <summary>/ui/alerts.</summary>
        Alerts,
    }

    /// <summary>htmx's trigger of the live parts: every 2 s while the tab is visible (a hidden tab polls nothing).</summary>
    public const string EveryTwoSeconds = "every 2s [document.visibilityState === 'visible']";

    /// <summary>A whole page around <paramref name="body"/>.</summary>
    public static IResult Page(HttpContext context, Section section, string title, Html body, bool charts = false, int statusCode = StatusCodes.Status200OK)
    {
        var headers = JsonSerializer.Serialize(new Dictionary<string, string> { [Csrf.HeaderName] = Csrf.Token(context) });
        var html = Document(context, title,
            head: Html.Of($"""
                {(charts ? Html.Of($"""<link rel="stylesheet" href="{ConsoleAssets.Url("uPlot.min.css")}">""") : Html.Empty)}
                <script src="{ConsoleAssets.Url("htmx.min.js")}" defer></script>
                {(charts ? Html.Of($"""<script src="{ConsoleAssets.Url("uPlot.iife.min.js")}" defer></script>""") : Html.Empty)}
                <script src="{ConsoleAssets.Url("console.js")}" defer></script>
                """),
            body: Html.Of($"""
                <body hx-headers="{headers}">
                <header class="top">
                <a class="brand" href="/ui">Courier</a>
                <nav>{Link("/ui", "Overview", section == Section.Overview)}{Link("/ui/dead-letters", "Dead letters", section == Section.DeadLetters)}{Link("/ui/alerts", "Alerts & downtimes", section == Section.Alerts)}</nav>
                </header>
                <main>
                {body}
                </main>
                </body>
                """));
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>
    /// A page of the console's look without its navigation or scripts (the sign-in page, shown before any session):
    /// <paramref name="body"/> in a <c>main</c> of class <paramref name="mainClass"/>.
    /// </summary>
    public static Html Bare(HttpContext context, string title, string mainClass, Html body) =>
        Document(context, title, Html.Empty, Html.Of($"""
            <body>
            <main class="{mainClass}">
            {body}
            </main>
            </body>
            """));

    /// <summary>
    /// The document every console page shares: its head (the CSRF meta tag, the title, the versioned stylesheet and
    /// <paramref name="head"/>) and <paramref name="body"/> (the <c>body</c> element).
    /// </summary>
    private static Html Document(HttpContext context, string title, Html head, Html body) => Html.Of($"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="{Csrf.MetaName}" content="{Csrf.Token(context)}">
        <title>{title} · Courier</title>
        <link rel="stylesheet" href="{ConsoleAssets.Url("console.css")}">
        {head}
        </head>
        {body}
        </html>
        """);

    /// <summary>A fragment for htmx to swap in.</summary>
    public static IResult Fragment(Html html) => Results.Content(html.ToString(), "text/html; charset=utf-8");

    /// <summary>The hidden CSRF field of a plain form.</summary>
    public static Html CsrfField(HttpContext context) =>
        Html.Of($"""<input type="hidden" name="{Csrf.FormField}" value="{Csrf.Token(context)}">""");

    /// <summary>A notice (<paramref name="error"/>: an error's) for a form's answer.</summary>
    public static Html Notice(string text, bool error = false) =>
        Html.Of($"""<div class="notice{(error ? " error" : "")}" role="status">{text}</div>""");

    private static Html Link(string href, string text, bool current) =>
        Html.Of($"""<a href="{href}"{(current ? Html.Raw(" class=\"current\" aria-current=\"page\"") : Html.Empty)}>{text}</a>""");
}
