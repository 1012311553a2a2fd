using Courier.Server.Alerting;
using Courier.Server.Downtimes;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// <c>/ui/alerts</c>: the built-in watcher's alerts (firing first, refreshed every 5 s from <see cref="AlertsRoute"/>)
/// and the downtimes: the list, a form to add one, cancel by comment (each row's, or any comment or pattern).
/// </summary>
internal static class AlertsPage
{
    /// <summary>The page.</summary>
    public const string Route = "/ui/alerts";

    /// <summary>The alerts table as a fragment.</summary>
    public const string AlertsRoute = "/ui/fragments/alerts";

    /// <summary>Where the add form posts.</summary>
    public const string AddRoute = "/ui/downtimes";

    /// <summary>Where the cancel forms post.</summary>
    public const string CancelRoute = "/ui/downtimes/cancel";

    /// <summary>The page.</summary>
    public static IResult Render(HttpContext context, IReadOnlyList<Alert> alerts, IReadOnlyList<Downtime> downtimes, DateTimeOffset now) =>
        ConsoleLayout.Page(context, ConsoleLayout.Section.Alerts, "Alerts & downtimes", Html.Of($"""
            <h1>Alerts</h1>
            <div hx-get="{AlertsRoute}" hx-trigger="every 5s [document.visibilityState === 'visible']" hx-swap="innerHTML">{Alerts(alerts)}</div>
            {Downtimes(context, downtimes, now, Html.Empty)}
            """));

    /// <summary>The alerts, firing first.</summary>
    public static Html Alerts(IReadOnlyList<Alert> alerts) => alerts.Count == 0
        ? Html.Raw("""<p class="muted" id="alerts">Nothing firing or recently resolved.</p>""")
        : Html.Of($"""
            <table class="data" id="alerts">
            <thead><tr><th>State</th><th>Alert</th><th>Summary</th><th>Labels</th><th>Since</th></tr></thead>
            <tbody>{Html.Join(alerts.OrderBy(a => a.State).ThenByDescending(a => a.Since).Select(Alert))}</tbody>
            </table>
            """);

    /// <summary>The downtimes section, with <paramref name="notice"/> (a form's answer) on top.</summary>
    public static Html Downtimes(HttpContext context, IReadOnlyList<Downtime> downtimes, DateTimeOffset now, Html notice) => Html.Of($"""
        <section id="downtimes">
        <h1>Downtimes</h1>
        {notice}
        {(downtimes.Count == 0 ? Html.Raw("""<p class="muted">No downtime pending or in force.</p>""") : Html.Of($"""
            <table class="data" id="downtime-list">
            <thead><tr><th>Comment</th><th>Service</th><th>Hosts</th><th>Starts</th><th>Ends</th><th>State</th><th>By</th><th></th></tr></thead>
            <tbody>{Html.Join(downtimes.Select(d => Downtime(context, d, now)))}</tbody>
            </table>
            """))}
        <h2>Add a downtime</h2>
        <form class="stacked" hx-post="{AddRoute}" hx-target="#downtimes" hx-swap="outerHTML" id="add-downtime">
        {ConsoleLayout.CsrfField(context)}
        <label>Service <input name="service" value="courier" required></label>
        <label>Hosts (globs, comma-separated) <input name="hosts" value="*" required></label>
        <label>Duration <input name="duration" value="2h" required size="6"></label>
        <label>Comment <input name="comment" required size="30"></label>
        <button type="submit">Add downtime</button>
        </form>
        <h2>Cancel by comment</h2>
        <form class="stacked" hx-post="{CancelRoute}" hx-target="#downtimes" hx-swap="outerHTML" id="cancel-downtime">
        {ConsoleLayout.CsrfField(context)}
        <label>Comment <input name="comment" required size="30"></label>
        <label class="check"><input type="checkbox" name="regex" value="true"> a regular expression (whole comment)</label>
        <button type="submit" class="danger">Cancel matching downtimes</button>
        </form>
        </section>
        """);

    private static Html Alert(Alert alert) => Html.Of($"""
        <tr>
        <td><span class="state {(alert.Silenced ? "silenced" : alert.State == AlertState.Firing ? "firing" : "resolved")}">{(alert.Silenced ? "silenced" : alert.State == AlertState.Firing ? "firing" : "resolved")}</span></td>
        <td>{alert.Name}</td>
        <td>{alert.Summary}{(alert.SilencedBy is null ? Html.Empty : Html.Of($""" <span class="muted">(downtime {alert.SilencedBy})</span>"""))}</td>
        <td class="muted">{string.Join(", ", alert.Labels.Select(kv => $"{kv.Key}={kv.Value}"))}</td>
        <td>{ConsoleFormat.Time(alert.Since)}{(alert.ResolvedAt is { } resolved ? Html.Of($"""<br><span class="muted">resolved {ConsoleFormat.Time(resolved)}</span>""") : Html.Empty)}</td>
        </tr>
        """);

    private static Html Downtime(HttpContext context, Downtime downtime, DateTimeOffset now) => Html.Of($"""
        <tr>
        <td>{downtime.Comment}</td>
        <td>{downtime.Service}</td>
        <td>{downtime.Hosts}</td>
        <td>{ConsoleFormat.Time(downtime.StartsAt)}</td>
        <td>{ConsoleFormat.Time(downtime.EndsAt)}</td>
        <td>{downtime.StateAt(now).ToString().ToLowerInvariant()}</td>
        <td class="muted">{downtime.CreatedBy}</td>
        <td><form class="inline" hx-post="{CancelRoute}" hx-target="#downtimes" hx-swap="outerHTML">{ConsoleLayout.CsrfField(context)}<input type="hidden" name="comment" value="{downtime.Comment}"><button type="submit" class="secondary" data-action="cancel-downtime">Cancel</button></form></td>
        </tr>
        """);
}
