using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Control;

/// <summary>
/// <c>POST /v1/jobs/{id}/cancel</c> on the dispatcher service: <see cref="Dispatcher.CancelAsync"/> — the cancel record
/// every dispatcher of the log applies (and the state store's key), with the job's token fired at once if it runs on
/// this dispatcher. An optional JSON body <c>{"reason": "...", "by": "..."}</c>. The answer is 200 when the job was
/// running here and is cancelled, 202 when the cancellation is recorded for a job not running here (pending, running
/// on another dispatcher, finished — not undone — or never enqueued); both carry the record, <c>ran_here</c>, the
/// store it was recorded in and a <c>message</c>.
/// </summary>
internal static class JobControlEndpoints
{
    /// <summary>The route prefix; the job id and the verb follow.</summary>
    public const string Route = "/v1/jobs";

    /// <summary>Maps the endpoint.</summary>
    public static void MapJobControl(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Route + "/{id}/cancel", (string id, HttpContext context) => CancelAsync(id, context))
            .WithSummary("Cancel a job by id on every dispatcher")
            .WithDescription("Records the cancellation (control topic and state store); 200 when the job was running here and is "
                + "cancelled, 202 when it is recorded for a job not running here. Optional body {\"reason\", \"by\"}.")
            .Accepts<ControlRequest>(isOptional: true, "application/json")
            .Produces<CancelAnswer>()
            .Produces<CancelAnswer>(StatusCodes.Status202Accepted)
            .Produces<OpenApi.ApiError>(StatusCodes.Status400BadRequest)
            .WithDisplayName("Courier cancel " + Route + "/{id}/cancel").RequireOperate();
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext context)
    {
        var (request, error) = await ControlRequest.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "cancelled by an operator" : request.Reason;
        var by = request?.ByOr(context) ?? ControlRequest.DefaultBy(context);
        var result = await context.RequestServices.GetRequiredService<Dispatcher>().CancelAsync(id, reason, by, context.RequestAborted);
        return Results.Json(new CancelAnswer(result.Record, result.RanHere, result.Store, result.StoreError, result.Describe()),
            statusCode: result.RanHere ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }
}
