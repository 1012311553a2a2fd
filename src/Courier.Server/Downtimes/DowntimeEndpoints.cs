using System.Text.Json;
using Courier.Server.OpenApi;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Downtimes;

/// <summary>
/// <c>GET /v1/downtimes[?all=true]</c>, <c>POST /v1/downtimes</c> and <c>POST /v1/downtimes/cancel</c>: what
/// <c>courier downtime list|add|cancel</c> do, on the dispatcher service's data directory and the configured
/// Alertmanager (<see cref="DowntimeService"/>). A refused add is 400 with the same message as the command; a cancel
/// that matches nothing is 404 (the command's exit 1); Alertmanager unreachable or refusing is 502.
/// </summary>
internal static class DowntimeEndpoints
{
    /// <summary>The route of the downtimes.</summary>
    public const string Route = "/v1/downtimes";

    /// <summary>Maps the three endpoints.</summary>
    public static void MapDowntimes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, (bool? all, HttpContext context) => Talking(async () =>
                Results.Json(await DowntimeListing.ReadAsync(Service(context), all == true, Now(context), context.RequestAborted))))
            .WithDisplayName("Courier downtimes " + Route)
            .WithSummary("List downtimes")
            .WithDescription("Pending and active downtimes of the data directory's store and the silences `courier downtime add` created "
                + "in Alertmanager; with all=true also ended and cancelled downtimes and expired silences.")
            .Produces<DowntimeListing>()
            .Produces<ApiError>(StatusCodes.Status502BadGateway)
            .RequireRead();
        app.MapPost(Route, (HttpContext context, CancellationToken _) => Talking(async () =>
            {
                var (body, error) = await ReadAsync<DowntimeAddBody>(context);
                if (body is null)
                {
                    return error!;
                }
                DowntimeRequest request;
                try
                {
                    request = body.ToRequest(Now(context), Control.ControlRequest.DefaultBy(context));
                }
                catch (ArgumentException e)
                {
                    return Error(StatusCodes.Status400BadRequest, $"downtime not added: {e.Message}");
                }
                var service = Service(context);
                var added = await service.AddAsync(request, context.RequestAborted);
                return Results.Json(DowntimeAdded.From(added, service), statusCode: StatusCodes.Status201Created);
            }))
            .WithDisplayName("Courier downtime add " + Route)
            .WithSummary("Add a downtime")
            .WithDescription("As `courier downtime add`: in the store and, with an Alertmanager, as one silence; all or nothing. "
                + "400 with the reason for a request the command would refuse (empty service, hosts or comment, a duration under "
                + "1 minute or over 7 days without force, a start in the past).")
            .Accepts<DowntimeAddBody>("application/json")
            .Produces<DowntimeAdded>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status502BadGateway)
            .RequireOperate();
        app.MapPost(Route + "/cancel", (HttpContext context, CancellationToken _) => Talking(async () =>
            {
                var (body, error) = await ReadAsync<DowntimeCancelBody>(context);
                if (body is null)
                {
                    return error!;
                }
                CommentMatch match;
                try
                {
                    match = body.ToMatch();
                }
                catch (ArgumentException e)
                {
                    return Error(StatusCodes.Status400BadRequest, e.Message);
                }
                var service = Service(context);
                return await DowntimeCancellation.RunAsync(service, match, body.DryRun, Now(context), context.RequestAborted) is { } done
                    ? Results.Json(done)
                    : Error(StatusCodes.Status404NotFound, DowntimeCancellation.NothingMatches(service, match));
            }))
            .WithDisplayName("Courier downtime cancel " + Route + "/cancel")
            .WithSummary("Cancel downtimes by comment")
            .WithDescription("As `courier downtime cancel`: every pending or active downtime and silence whose comment matches "
                + "(exactly, or with regex=true the whole comment); dry_run=true changes nothing. 404 when nothing matches.")
            .Accepts<DowntimeCancelBody>("application/json")
            .Produces<DowntimeCancellation>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status502BadGateway)
            .RequireOperate();
    }

    private static DowntimeService Service(HttpContext context) => context.RequestServices.GetRequiredService<DowntimeService>();

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    private static IResult Error(int status, string message) => Results.Json(new ApiError(message), statusCode: status);

    /// <summary>The JSON body, or the 400 answer for a missing or malformed one.</summary>
    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext context) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, cancellationToken: context.RequestAborted);
            return body is null ? (null, Error(StatusCodes.Status400BadRequest, "the body must be a JSON object")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"the body must be a JSON object: {e.Message}"));
        }
    }

    /// <summary>Runs <paramref name="work"/>, answering 502 when Alertmanager fails.</summary>
    private static async Task<IResult> Talking(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (AlertmanagerException e)
        {
            return Error(StatusCodes.Status502BadGateway, e.Message);
        }
    }
}
