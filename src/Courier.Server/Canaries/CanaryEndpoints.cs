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
public static class CanaryEndpoints
{
    /// <summary>The route of the canaries' status.</summary>
    public const string Route = "/v1/canaries";

    /// <summary>Maps both endpoints on the dispatcher service.</summary>
    public static void MapCanaries(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, (HttpContext context) =>
                Results.Json(new CanaryList(context.RequestServices.GetRequiredService<Dispatcher>().GetCanaries()), CanaryList.Json))
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
        }).WithDisplayName("Courier canary reset").RequireOperate();
    }
}
