using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Courier.Server.Intake;

/// <summary><c>POST /v1/events</c> (<see cref="EventIntake"/>), with its OpenAPI description.</summary>
internal static class IntakeEndpoints
{
    /// <summary>Maps the intake. Resolved per request (a singleton): nothing opens the job log or loads the schemas before the host starts.</summary>
    public static IEndpointConventionBuilder MapIntake(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapPost(EventIntake.Route, (HttpContext context, CancellationToken _) =>
                context.RequestServices.GetRequiredService<EventIntake>().HandleAsync(context))
            .WithDisplayName("Courier intake " + EventIntake.Route)
            .WithSummary("Append job events")
            .WithDescription("A job event or a JSON array of them, each checked (codec, params schema) and appended before the answer: "
                + "201 all accepted, 207 some, 400 none, 413 over the body or event limit, 415 not JSON (docs/operations.md, \"Intake\").")
            // Not .Accepts<T>: its content-type check would answer 415 before the intake, without the intake's JSON body.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchema { Description = "A job event (the mediawiki/job shape) or an array of them." },
                        },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces<IntakeResults>(StatusCodes.Status201Created)
            .Produces<IntakeResults>(StatusCodes.Status207MultiStatus)
            .Produces<IntakeResults>(StatusCodes.Status400BadRequest)
            .Produces<OpenApi.ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenApi.ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .RequireAccess(HttpSurface.Intake, AccessScope.Intake);
    }
}
