using Courier.Server.OpenApi;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Types;

/// <summary>
/// <c>GET /v1/types</c> (every type: rule, counts, rate, success ratio, lag, oldest pending, state, canary),
/// <c>GET /v1/types/{type}</c> (one; 404 with the known types) and <c>GET /v1/types/history[?type=T]</c> (the last
/// hour's samples, uPlot-shaped; all types added up without <c>type</c>). A type named <c>history</c> is read through
/// the list: the literal route wins.
/// </summary>
internal static class TypeEndpoints
{
    /// <summary>The route of the types.</summary>
    public const string Route = "/v1/types";

    /// <summary>Maps the three endpoints (scope read).</summary>
    public static void MapTypes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, async (HttpContext context, CancellationToken cancellationToken) =>
                Results.Json(new TypeList(await Views(context).ListAsync(cancellationToken))))
            .WithDisplayName("Courier types " + Route)
            .WithSummary("List job types")
            .WithDescription("Every job type the dispatcher knows, by name: its resolved rule, counts since the dispatcher started, executions "
                + "per second over the last minute, success ratio over the last five minutes, lag of its job topic and retry tiers, "
                + "age of the oldest pending job, state (running, paused, breaker_open, breaker_half_open) and its runner pool's canary.")
            .Produces<TypeList>()
            .RequireRead();
        app.MapGet(Route + "/history", (string? type, HttpContext context) =>
            {
                var stats = context.RequestServices.GetRequiredService<Dispatcher>().GetStats();
                return type is not null && !stats.Any(s => s.Type == type)
                    ? Results.Json(UnknownType.For(type, stats), statusCode: StatusCodes.Status404NotFound)
                    : Results.Json(Views(context).History(type));
            })
            .WithDisplayName("Courier type history " + Route + "/history")
            .WithSummary("Throughput, failures and lag over the last hour")
            .WithDescription("Samples every 10 seconds of the last hour (360 at most), oldest first, as uPlot reads them: times (Unix seconds), "
                + "executions per second, failed attempts (retried, held or dead-lettered) per second and lag. Without type, "
                + "all types added up.")
            .Produces<TypeHistoryView>()
            .Produces<UnknownType>(StatusCodes.Status404NotFound)
            .RequireRead();
        app.MapGet(Route + "/{type}", async (string type, HttpContext context) =>
                await Views(context).GetAsync(type, context.RequestAborted) is { } view
                    ? Results.Json(view)
                    : Results.Json(UnknownType.For(type, context.RequestServices.GetRequiredService<Dispatcher>().GetStats()),
                        statusCode: StatusCodes.Status404NotFound))
            .WithDisplayName("Courier type " + Route + "/{type}")
            .WithSummary("One job type")
            .WithDescription("One job type as GET /v1/types lists it; 404 with the known types for one the dispatcher does not know.")
            .Produces<TypeView>()
            .Produces<UnknownType>(StatusCodes.Status404NotFound)
            .RequireRead();
    }

    private static ITypeViews Views(HttpContext context) => context.RequestServices.GetRequiredService<ITypeViews>();
}
