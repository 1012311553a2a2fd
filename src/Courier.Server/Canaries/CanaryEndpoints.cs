using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Canaries;

/// <summary>
/// <c>GET /v1/canaries</c> (every runner pool's canary: release, state, weight, both sides, verdict, top errors) and
/// <c>POST /v1/canaries/{pool}/reset</c> (judge a rolled-back canary again from its first step).
/// </summary>
internal static class CanaryEndpoints
{
    /// <summary>The route of the canaries' status.</summary>
    public const string Route = "/v1/canaries";

    /// <summary>Maps both endpoints on the dispatcher service.</summary>
    public static void MapCanaries(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, (HttpContext context) =>
                Results.Json(new CanaryList(context.RequestServices.GetRequiredService<Dispatcher>().GetCanaries()), CanaryList.Json))
            .WithSummary("Runner pools' canaries")
            .WithDescription("Every runner pool's canary: release, state, weight, both sides' counts in the window, verdict, top errors.")
            .Produces<CanaryList>()
            .WithDisplayName("Courier canaries " + Route).RequireRead();
        app.MapPost(Route + "/{pool}/reset", (string pool, HttpContext context) =>
        {
            var dispatcher = context.RequestServices.GetRequiredService<Dispatcher>();
            try
            {
                dispatcher.ResetCanary(pool);
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status404NotFound);
            }
            return Results.Json(new CanaryList(dispatcher.GetCanaries()), CanaryList.Json);
        })
        .WithSummary("Judge a canary again")
        .WithDescription("Resets a rolled-back canary to its first step with an empty window; 404 for a pool without a canary.")
        .Produces<CanaryList>()
        .Produces<OpenApi.ApiError>(StatusCodes.Status404NotFound)
        .WithDisplayName("Courier canary reset").RequireOperate();
    }
}
