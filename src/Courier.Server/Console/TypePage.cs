using Courier.Server.Admin;
using Courier.Server.Types;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// <c>/ui/types/{type}</c>: the type's state and counts (refreshed every 2 s from <see cref="SummaryRoute"/>), its
/// rule, its charts, its most recent dead letters, pause/resume.
/// </summary>
internal static class TypePage
{
    /// <summary>The summary fragment's route.</summary>
    public const string SummaryRoute = "/ui/fragments/types/{type}";

    /// <summary>How many of the type's dead letters the page lists (the browser has the rest).</summary>
    public const int RecentDeadLetters = 10;

    /// <summary>The page of a type.</summary>
    public static string Url(string type) => "/ui/types/" + Uri.EscapeDataString(type);

    /// <summary>The page.</summary>
    public static IResult Render(HttpContext context, TypeView type, DeadLetterPage recent) =>
        ConsoleLayout.Page(context, ConsoleLayout.Section.Overview, type.Type, Html.Of($"""
            <h1>{type.Type}</h1>
            <div id="summary" hx-get="/ui/fragments/types/{Uri.EscapeDataString(type.Type)}" hx-trigger="{ConsoleLayout.EveryTwoSeconds}" hx-swap="innerHTML">
            {Summary(type)}
            </div>
            {OverviewPage.Charts(type.Type)}
            <h2>Rule</h2>
            {Rule(type)}
            <h2>Recent dead letters <span class="muted">({ConsoleFormat.Count(recent.Matching)} in all)</span></h2>
            {DeadLettersPage.Table(recent.Items)}
            <p><a href="{DeadLettersPage.Url(type.Type)}">Browse all dead letters of {type.Type}</a></p>
            """), charts: true);

    /// <summary>State, pause/resume and counts.</summary>
    public static Html Summary(TypeView type) => Html.Of($"""
        <p>{OverviewPage.State(type)} {OverviewPage.PauseButton(type)}
        {(type.PausedReason is null ? Html.Empty : Html.Of($"""<span class="muted">{type.PausedReason} (since {ConsoleFormat.Time(type.PausedSince)})</span>"""))}</p>
        <table class="data kv">
        <tr><th>Executor</th><td>{type.Executor ?? "in-process"}</td></tr>
        <tr><th>Rate</th><td>{ConsoleFormat.Rate(type.RatePerSecond)}</td></tr>
        <tr><th>Success (5 min)</th><td>{ConsoleFormat.Percent(type.SuccessRatio)}</td></tr>
        <tr><th>Lag</th><td>{ConsoleFormat.Count(type.Lag)}</td></tr>
        <tr><th>Oldest pending</th><td>{ConsoleFormat.Age(type.OldestPendingSeconds)}</td></tr>
        <tr><th>Started / succeeded</th><td>{ConsoleFormat.Count(type.Counts.Started)} / <span data-count="succeeded">{ConsoleFormat.Count(type.Counts.Succeeded)}</span></td></tr>
        <tr><th>Dead letters</th><td><span data-count="dead_lettered">{ConsoleFormat.Count(type.Counts.DeadLettered)}</span> <span class="classes">{OverviewPage.Classes(type.Type, type.Counts)}</span></td></tr>
        <tr><th>Retried / in flight / pending</th><td>{ConsoleFormat.Count(type.Counts.Retried)} / {ConsoleFormat.Count(type.Counts.InFlight)} / {ConsoleFormat.Count(type.Counts.Pending)}</td></tr>
        <tr><th>Not run</th><td>deduplicated {ConsoleFormat.Count(type.Counts.Deduplicated)}, superseded {ConsoleFormat.Count(type.Counts.Superseded)}, abandoned {ConsoleFormat.Count(type.Counts.Abandoned)}, cancelled {ConsoleFormat.Count(type.Counts.Cancelled)}, ignored {ConsoleFormat.Count(type.Counts.Ignored)}</td></tr>
        <tr><th>Replayed</th><td>{ConsoleFormat.Count(type.Counts.Replayed)}</td></tr>
        {(type.Canary is { } canary ? Html.Of($"""<tr><th>Canary ({canary.Pool})</th><td>{canary.Release} {canary.State}, {canary.Weight} %, verdict {canary.Verdict}</td></tr>""") : Html.Empty)}
        </table>
        """);

    private static Html Rule(TypeView type)
    {
        var rule = type.Rule;
        return Html.Of($"""
            <table class="data kv">
            <tr><th>Concurrency</th><td>{rule.Concurrency}</td></tr>
            <tr><th>Timeout</th><td>{rule.TimeoutSeconds} s</td></tr>
            <tr><th>Retries</th><td>{rule.RetryLimit}</td></tr>
            <tr><th>Runner pool</th><td>{rule.Runner ?? "in-process"}</td></tr>
            <tr><th>Circuit breaker</th><td>{(rule.Breaker ? "on" : "off")}</td></tr>
            <tr><th>Deduplication</th><td>{rule.Dedupe ?? "off"}</td></tr>
            <tr><th>Rate limit</th><td>{(rule.RateLimitPerSecond is { } rate ? ConsoleFormat.Rate(rate) : "none")}</td></tr>
            <tr><th>Ignored classes</th><td>{(rule.Ignore.Count == 0 ? "none" : string.Join(", ", rule.Ignore))}</td></tr>
            </table>
            """);
    }
}
