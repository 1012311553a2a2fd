using Courier.Runner.Endpoint;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Courier;

/// <summary>Maps the runner endpoint and its health endpoints.</summary>
public static class CourierRunnerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the runner at <paramref name="path"/> (default <see cref="RunnerProtocol.DefaultPath"/>, MediaWiki's
    /// <c>/rpc/RunSingleJob</c>). The route takes every method so that a non-POST gets the protocol's 405 with a JSON
    /// body. Options are validated here: a runner without signing keys (and <see cref="CourierRunnerOptions.RequireSignature"/>)
    /// throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming what to set.
    /// </summary>
    public static IEndpointConventionBuilder MapCourierRunner(this IEndpointRouteBuilder endpoints, string path = RunnerProtocol.DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var endpoint = endpoints.ServiceProvider.GetService<RunnerEndpoint>()
            ?? throw new InvalidOperationException("MapCourierRunner() needs services.AddCourierRunner() first");
        endpoint.Mapped(path);
        return endpoints.Map(path, endpoint.HandleAsync).WithDisplayName("Courier runner " + path);
    }

    /// <summary>
    /// Maps <c>{pathPrefix}/live</c> (200 while the process answers) and <c>{pathPrefix}/ready</c> (200 when handlers are
    /// registered and the host has started and is not stopping — 503 otherwise — together with any other health check
    /// tagged <c>ready</c>). Defaults: <c>/health/live</c>, <c>/health/ready</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapCourierRunnerHealth(this IEndpointRouteBuilder endpoints, string pathPrefix = "/health")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var group = endpoints.MapGroup(pathPrefix);
        var release = endpoints.ServiceProvider.GetService<RunnerEndpoint>()?.Release;
        group.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (c, r) => WriteHealth(c, r, release) });
        group.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = (c, r) => WriteHealth(c, r, release) });
        return group;
    }

    /// <summary>The status as plain text (as the default writer does), with the runner's release in <see cref="RunnerProtocol.ReleaseHeader"/>.</summary>
    private static Task WriteHealth(HttpContext context, HealthReport report, string? release)
    {
        if (release is not null)
        {
            context.Response.Headers[RunnerProtocol.ReleaseHeader] = release;
        }
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(report.Status.ToString());
    }
}
