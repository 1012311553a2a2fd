using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Recurring;

/// <summary><c>GET /v1/recurring</c>: the dispatcher's recurring jobs with their cron, zone, last and next tick and the jobs it enqueued.</summary>
internal static class RecurringEndpoints
{
    /// <summary>The route of the recurring jobs' status.</summary>
    public const string Route = "/v1/recurring";

    /// <summary>Maps the endpoint on the dispatcher service.</summary>
    public static void MapRecurring(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, (HttpContext context) =>
                Results.Json(new RecurringList(context.RequestServices.GetRequiredService<Dispatcher>().GetRecurring()), RecurringList.Json))
            .WithSummary("Recurring jobs")
            .WithDescription("The dispatcher's recurring jobs: cron, zone, catch-up, last and next tick, jobs enqueued.")
            .Produces<RecurringList>()
            .WithDisplayName("Courier recurring jobs " + Route).RequireRead();
    }
}
