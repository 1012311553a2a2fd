using Courier.Server.Types;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// <c>/ui</c>: one row per type (rate, success %, failures by class, lag, oldest age, state, pause/resume), refreshed
/// by htmx every 2 s from <see cref="RowsRoute"/>, above three charts of the last hour (throughput, failures, lag).
/// </summary>
internal static class OverviewPage
{
    /// <summary>The rows as a fragment, for the table's polling.</summary>
    public const string RowsRoute = "/ui/fragments/types";

    /// <summary>The page.</summary>
    public static IResult Render(HttpContext context, IReadOnlyList<TypeView> types) =>
        ConsoleLayout.Page(context, ConsoleLayout.Section.Overview, "Overview", Html.Of($"""
            <h1>Overview</h1>
            {Charts(null)}
            <h2>Job types <span class="muted">({types.Count})</span></h2>
            <table class="data" id="types">
            <thead><tr><th>Type</th><th class="num">Rate</th><th class="num">Success</th><th>Failures by class</th><th class="num">Lag</th><th class="num">Oldest pending</th><th class="num">Succeeded</th><th class="num">Dead letters</th><th>State</th><th></th></tr></thead>
            <tbody hx-get="{RowsRoute}" hx-trigger="{ConsoleLayout.EveryTwoSeconds}" hx-swap="innerHTML">
            {Rows(types)}
            </tbody>
            </table>
            """), charts: true);

    /// <summary>The table's rows.</summary>
    public static Html Rows(IReadOnlyList<TypeView> types) => types.Count == 0
        ? Html.Raw("""<tr><td colspan="10" class="muted">No job types yet.</td></tr>""")
        : Html.Join(types.Select(Row));

    /// <summary>The three charts, of one type or (null) of all.</summary>
    public static Html Charts(string? type)
    {
        var source = "/v1/types/history" + (type is null ? "" : "?type=" + Uri.EscapeDataString(type));
        return Html.Of($"""
            <div class="charts">
            <div class="card"><div class="chart" data-series="throughput" data-source="{source}"><h3>Throughput</h3></div></div>
            <div class="card"><div class="chart" data-series="failures" data-source="{source}"><h3>Failures</h3></div></div>
            <div class="card"><div class="chart" data-series="lag" data-source="{source}"><h3>Lag</h3></div></div>
            </div>
            """);
    }

    private static Html Row(TypeView type) => Html.Of($"""
        <tr data-type="{type.Type}">
        <td><a href="{TypePage.Url(type.Type)}">{type.Type}</a></td>
        <td class="num">{ConsoleFormat.Rate(type.RatePerSecond)}</td>
        <td class="num">{ConsoleFormat.Percent(type.SuccessRatio)}</td>
        <td class="classes">{Classes(type.Type, type.Counts)}</td>
        <td class="num">{ConsoleFormat.Count(type.Lag)}</td>
        <td class="num">{ConsoleFormat.Age(type.OldestPendingSeconds)}</td>
        <td class="num" data-count="succeeded">{ConsoleFormat.Count(type.Counts.Succeeded)}</td>
        <td class="num" data-count="dead_lettered">{ConsoleFormat.Count(type.Counts.DeadLettered)}</td>
        <td>{State(type)}</td>
        <td>{PauseButton(type)}</td>
        </tr>
        """);

    /// <summary>Dead letters by class (the classes that have some), each linking to the browser filtered by type and class.</summary>
    public static Html Classes(string type, TypeCounts counts)
    {
        var classes = counts.DeadLetteredByClass.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).ToList();
        return classes.Count == 0
            ? Html.Raw("""<span class="muted">none</span>""")
            : Html.Join(classes.Select(kv =>
                Html.Of($"""<span><a href="{DeadLettersPage.Url(type)}&amp;class={Uri.EscapeDataString(kv.Key)}">{kv.Key}</a> <strong>{ConsoleFormat.Count(kv.Value)}</strong></span>""")));
    }

    /// <summary>The state badge, with the pause reason as its title.</summary>
    public static Html State(TypeView type) =>
        Html.Of($"""<span class="state {type.State}" title="{type.PausedReason}">{type.State.Replace('_', ' ')}</span>""");

    /// <summary>Pause or resume, posted by htmx (the CSRF header is on the body).</summary>
    public static Html PauseButton(TypeView type)
    {
        var pause = type.State != "paused";
        var verb = pause ? "pause" : "resume";
        return Html.Of($"""<button class="{(pause ? "secondary" : "")}" hx-post="{TypePage.Url(type.Type)}/{verb}" hx-swap="none" data-action="{verb}">{(pause ? "Pause" : "Resume")}</button>""");
    }
}
