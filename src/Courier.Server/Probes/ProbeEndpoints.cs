using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Probes;

/// <summary><c>GET /v1/probes</c>: the synthetic probe results per type (<see cref="Dispatcher.GetProbes"/>).</summary>
internal static class ProbeEndpoints
{
    /// <summary>The route of the probe results.</summary>
    public const string Route = "/v1/probes";

    /// <summary>Maps the endpoint on the dispatcher service.</summary>
    public static void MapProbes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The same shape as before it moved here: ProbeStatus with the service's JSON options.
        app.MapGet(Route, (HttpContext context) => Results.Json(new ProbeList(context.RequestServices.GetRequiredService<Dispatcher>().GetProbes())))
            .WithDisplayName("Courier probes " + Route)
            .WithSummary("Synthetic probe results")
            .WithDescription("Per job type this dispatcher probes (or whose probes it ran): the last result, its release, consecutive "
                + "failures and whether a probe is missing (docs/operations.md, \"Probes\").")
            .Produces<ProbeList>()
            .RequireRead();
    }
}
