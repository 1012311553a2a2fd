using Courier.Dispatching.Control;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Control;

/// <summary>
/// <c>POST /v1/types/{type}/pause</c> and <c>/resume</c> on the dispatcher service: write the same control record as
/// <c>courier pause</c> / <c>courier resume</c>, so every dispatcher of the log applies it (the console calls these).
/// An optional JSON body <c>{"reason": "...", "by": "..."}</c>; the answer is the record written, as JSON, or 404 for
/// a type this dispatcher does not know.
/// </summary>
internal static class TypeControlEndpoints
{
    /// <summary>The route prefix; the job type and the verb follow.</summary>
    public const string Route = "/v1/types";

    /// <summary>Maps both endpoints.</summary>
    public static void MapTypeControl(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Route + "/{type}/pause", (string type, HttpContext context) => HandleAsync(type, pause: true, context))
            .WithSummary("Pause a job type on every dispatcher")
            .WithDescription("Writes the pause to the control topic, which every dispatcher of the log applies; optional body "
                + "{\"reason\", \"by\"}. Answers the record written; 404 with the known types for an unknown one.")
            .Accepts<ControlRequest>(isOptional: true, "application/json")
            .Produces<ControlRecord>()
            .Produces<Types.UnknownType>(StatusCodes.Status404NotFound)
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest)
            .WithDisplayName("Courier pause " + Route + "/{type}/pause").RequireOperate();
        app.MapPost(Route + "/{type}/resume", (string type, HttpContext context) => HandleAsync(type, pause: false, context))
            .WithSummary("Resume a job type on every dispatcher")
            .WithDescription("Writes the resume to the control topic (it also closes the type's breaker). Answers the record written; "
                + "404 with the known types for an unknown one.")
            .Accepts<ControlRequest>(isOptional: true, "application/json")
            .Produces<ControlRecord>()
            .Produces<Types.UnknownType>(StatusCodes.Status404NotFound)
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest)
            .WithDisplayName("Courier resume " + Route + "/{type}/resume").RequireOperate();
    }

    private static async Task<IResult> HandleAsync(string type, bool pause, HttpContext context)
    {
        var services = context.RequestServices;
        if (!TypePauses.Known(services).Contains(type, StringComparer.Ordinal))
        {
            return Results.Json(new { error = $"unknown job type '{type}'", known = TypePauses.Known(services) }, statusCode: StatusCodes.Status404NotFound);
        }
        var (request, error) = await ControlRequest.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }
        var by = request?.ByOr(context) ?? ControlRequest.DefaultBy(context);
        var record = await TypePauses.SetAsync(services, type, pause, request?.Reason, by, context.RequestAborted);
        return record is null ? Results.NotFound() : Results.Json(record);
    }
}
