using System.Text.Json.Serialization;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Downtimes;
using Courier.Server.OpenApi;
using Courier.Server.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Hosting;

/// <summary>
/// The parts of the admin API the dispatcher service adds in one go: the types' views and history
/// (<c>/v1/types</c>), downtimes on the data directory and the configured Alertmanager (<c>/v1/downtimes</c>), and the
/// OpenAPI description of every <c>/v1</c> route (<c>/v1/openapi.json</c>).
/// </summary>
internal static class AdminApiHosting
{
    /// <summary>Registers their services; the Alertmanager client (if configured) is the container's, disposed with it.</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services, CourierDataDirectory data, TimeProvider? time, CourierConfig? config)
    {
        services.AddTypeViews();
        if (config?.Alerting?.Alertmanager?.Url is { } alertmanager)
        {
            services.AddSingleton(_ => new AlertmanagerSilences(alertmanager));
        }
        services.AddSingleton(sp => new DowntimeService(DowntimeStore.In(data, time), sp.GetService<AlertmanagerSilences>()));
        services.AddCourierOpenApi();
        // The web defaults read numbers from strings too, and the description then types every number "number or
        // string": the API writes numbers as numbers, so it says so (nothing here binds a body with these options).
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services;
    }

    /// <summary>Maps their endpoints.</summary>
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapTypes();
        app.MapDowntimes();
        app.MapOpenApiDocument();
    }
}
