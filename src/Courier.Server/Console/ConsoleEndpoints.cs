using Courier.Server.Admin;
using Courier.Server.Alerting;
using Courier.Server.Security;
using Courier.Server.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Console;

/// <summary>
/// The operator's console at <c>/ui</c>: server-rendered pages (overview, type, dead letters, alerts and downtimes)
/// with htmx fragments for their live parts and uPlot charts, reading <see cref="ITypeViews"/>,
/// <see cref="IDeadLetterBrowser"/>, the alert watcher and the downtimes. Pages and fragments need scope
/// <see cref="AccessScope.Read"/>, their forms <see cref="AccessScope.Operate"/> (and the CSRF token).
/// </summary>
internal static class ConsoleEndpoints
{
    /// <summary>The console's root.</summary>
    public const string Route = "/ui";

    /// <summary>Maps the console's pages, fragments, actions and assets.</summary>
    public static void MapConsole(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapConsoleAssets();

        app.MapGet(Route, async (HttpContext context, CancellationToken cancellationToken) =>
            OverviewPage.Render(context, await Types(context).ListAsync(cancellationToken))).RequireRead().WithDisplayName("Courier console overview");
        app.MapGet(OverviewPage.RowsRoute, async (HttpContext context, CancellationToken cancellationToken) =>
            ConsoleLayout.Fragment(OverviewPage.Rows(await Types(context).ListAsync(cancellationToken)))).RequireRead();

        app.MapGet("/ui/types/{type}", async (string type, HttpContext context) =>
        {
            if (await Types(context).GetAsync(type, context.RequestAborted) is not { } view)
            {
                return NotFound(context, ConsoleLayout.Section.Overview, $"The dispatcher knows no job type '{type}'.");
            }
            var recent = await Browser(context).QueryAsync(new DeadLetterQuery { JobType = type, Limit = TypePage.RecentDeadLetters }, context.RequestAborted);
            return TypePage.Render(context, view, recent);
        }).RequireRead().WithDisplayName("Courier console type");
        app.MapGet(TypePage.SummaryRoute, async (string type, HttpContext context) =>
            await Types(context).GetAsync(type, context.RequestAborted) is { } view ? ConsoleLayout.Fragment(TypePage.Summary(view)) : Results.NotFound()).RequireRead();
        app.MapPost("/ui/types/{type}/pause", (string type, HttpContext context) => ConsoleActions.PauseAsync(context, type, pause: true)).RequireOperate();
        app.MapPost("/ui/types/{type}/resume", (string type, HttpContext context) => ConsoleActions.PauseAsync(context, type, pause: false)).RequireOperate();

        app.MapGet(DeadLettersPage.Route, async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var (query, error) = DeadLettersPage.ReadQuery(context.Request);
            if (query is null)
            {
                return DeadLettersPage.Render(context, new DeadLetterQuery(), null, error);
            }
            try
            {
                return DeadLettersPage.Render(context, query, await Browser(context).QueryAsync(query, cancellationToken), null);
            }
            catch (ArgumentException e)
            {
                return DeadLettersPage.Render(context, query with { Cursor = null }, null, e.Message);
            }
        }).RequireRead().WithDisplayName("Courier console dead letters");
        app.MapGet(DeadLettersPage.Route + "/{position}", async (string position, HttpContext context) =>
        {
            if (!LogPosition.TryParse(position, out var at) || await Browser(context).GetAsync(at, context.RequestAborted) is not { } entry)
            {
                return NotFound(context, ConsoleLayout.Section.DeadLetters, $"No dead letter at '{position}'.");
            }
            return DeadLetterEntryPage.Render(context, entry, await Browser(context).ReplayStatusAsync(at, context.RequestAborted));
        }).RequireRead().WithDisplayName("Courier console dead letter");
        app.MapGet(DeadLetterEntryPage.StatusRoute, async (string position, HttpContext context) =>
            LogPosition.TryParse(position, out var at) && await Browser(context).ReplayStatusAsync(at, context.RequestAborted) is { } status
                ? ConsoleLayout.Fragment(DeadLetterEntryPage.Status(position, status))
                : Results.NotFound()).RequireRead();
        app.MapPost(DeadLettersPage.Route + "/{position}/replay", (string position, HttpContext context) => ConsoleActions.ReplayAsync(context, position))
            .RequireOperate();

        app.MapGet(AlertsPage.Route, (HttpContext context) =>
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            return AlertsPage.Render(context, Watcher(context).Alerts, ConsoleActions.Downtimes(context).Store.List(includeEnded: false), time.GetUtcNow());
        }).RequireRead().WithDisplayName("Courier console alerts");
        app.MapGet(AlertsPage.AlertsRoute, (HttpContext context) => ConsoleLayout.Fragment(AlertsPage.Alerts(Watcher(context).Alerts))).RequireRead();
        app.MapPost(AlertsPage.AddRoute, (Delegate)ConsoleActions.AddDowntimeAsync).RequireOperate();
        app.MapPost(AlertsPage.CancelRoute, (Delegate)ConsoleActions.CancelDowntimesAsync).RequireOperate();
    }

    private static ITypeViews Types(HttpContext context) => context.RequestServices.GetRequiredService<ITypeViews>();

    private static IDeadLetterBrowser Browser(HttpContext context) => context.RequestServices.GetRequiredService<IDeadLetterBrowser>();

    private static AlertWatcher Watcher(HttpContext context) => context.RequestServices.GetRequiredService<AlertWatcher>();

    private static IResult NotFound(HttpContext context, ConsoleLayout.Section section, string message) =>
        ConsoleLayout.Page(context, section, "Not found", Html.Of($"<h1>Not found</h1>{ConsoleLayout.Notice(message, error: true)}"),
            statusCode: StatusCodes.Status404NotFound);
}
