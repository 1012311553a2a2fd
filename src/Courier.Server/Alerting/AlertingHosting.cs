using System.Diagnostics.Metrics;
using Courier.Server.Configuration;
using Courier.Server.Downtimes;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Courier.Server.Alerting;

/// <summary>Registers the built-in watcher in a host and maps <c>GET /v1/alerts</c>.</summary>
internal static class AlertingHosting
{
    /// <summary>The route of the alert list.</summary>
    public const string Route = "/v1/alerts";

    /// <summary>
    /// Adds the watcher as a hosted service with the <c>alerting</c> section's settings (defaults when null), its
    /// reader on the meter provider that <paramref name="metrics"/> builds, and the downtimes of an
    /// <see cref="IDowntimeReader"/> when one is registered.
    /// </summary>
    public static void AddAlertWatcher(this IServiceCollection services, MeterProviderBuilder metrics, AlertingConfig? config)
    {
        services.AddSingleton<SnapshotMetricReader>();
        metrics.AddReader(sp => sp.GetRequiredService<SnapshotMetricReader>());
        services.AddSingleton(sp => new AlertWatcher(
            WatcherSettings.From(config, sp.GetRequiredService<IOptions<CourierOptions>>().Value.Topics.ServiceName) with
            {
                CanaryDetails = pool => sp.GetService<Dispatcher>()?.GetCanaries().FirstOrDefault(c => c.Pool == pool) is { } canary
                    ? $"Job types: {string.Join(", ", canary.Verdict.Types)}; verdict: {canary.Verdict.Reason}; top errors: {string.Join(" | ", canary.TopErrors)}."
                    : null,
            },
            sp.GetRequiredService<SnapshotMetricReader>(), sp.GetService<IDowntimeReader>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertWatcher>());
    }

    /// <summary>Maps <c>GET /v1/alerts</c>: <c>{"alerts":[...]}</c>, firing first.</summary>
    public static void MapAlerts(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, (HttpContext context) => Results.Json(new AlertList(context.RequestServices.GetRequiredService<AlertWatcher>().Alerts)))
            .WithSummary("The built-in watcher's alerts")
            .WithDescription("Firing and resolved alerts of the built-in watcher, firing first, each with the downtime that silences it "
                + "(docs/operations.md, \"Built-in watcher\").")
            .Produces<AlertList>()
            .WithDisplayName("Courier alerts " + Route).RequireRead();
}
