using Courier.Dispatching.History;
using Courier.Server.Alerting;
using Courier.Server.Hosting;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Check;

/// <summary>Maps <c>GET /v1/check</c>: the deploy gate's verdict (<see cref="CheckReport"/>).</summary>
internal static class CheckHosting
{
    /// <summary>The route of the check.</summary>
    public const string Route = "/v1/check";

    /// <summary>
    /// Maps <c>GET /v1/check?since=…&amp;baseline=…</c>: the dispatcher's outcome history over the window judged
    /// against the baseline, with its firing page alerts and paused types; 400 naming the parameter on bad input.
    /// </summary>
    public static void MapCheck(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, (HttpContext context, CancellationToken _) =>
        {
            var services = context.RequestServices;
            var dispatcher = services.GetRequiredService<Dispatcher>();
            var history = dispatcher.History;
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var query = context.Request.Query;
            if (!CheckQuery.TryResolve(query["since"].FirstOrDefault(), query["baseline"].FirstOrDefault(), now, history.Releases,
                    out var window, out var error))
            {
                return JsonErrorAnswer.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            }
            var report = CheckJudge.Judge(window!, Tally(history, window!.Since, window.Until),
                Tally(history, window.BaselineSince, window.Since - history.BucketWidth),
                services.GetRequiredService<AlertWatcher>().Alerts, dispatcher.GetStats());
            return Results.Json(report).ExecuteAsync(context);
        })
        .WithSummary("The deploy gate's verdict")
        .WithDescription("The outcome history since `since` (a release or a time) judged against the baseline before it, with firing "
            + "page alerts and paused types: verdict pass or fail and why (docs/operations.md, \"Deploy gate\"). 400 naming a bad parameter.")
        .Produces<CheckReport>()
        .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest)
        .WithDisplayName("Courier check " + Route).RequireRead();

    private static IReadOnlyList<OutcomeTally> Tally(OutcomeHistory history, DateTimeOffset from, DateTimeOffset through) =>
        through < from ? [] : history.Tally(from, through, CheckJudge.TopErrors);
}
