using Courier.Runner.Authentication;
using Courier.Runner.Configuration;
using Courier.Runner.Endpoint;
using Courier.Runner.Health;
using Courier.Runner.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace Courier;

/// <summary>Registers a Courier runner: the HTTP endpoint a dispatcher's HTTP executor POSTs jobs to (docs/runners.md).</summary>
public static class CourierRunnerServiceCollectionExtensions
{
    /// <summary>The tag of the runner's readiness check (also tagged <c>ready</c>).</summary>
    public const string HealthCheckTag = "courier-runner";

    /// <summary>
    /// Adds Courier without a dispatcher (handlers, codec) and the runner endpoint's services. Register handlers on the
    /// returned builder exactly as for the in-process executor (<c>.AddHandler&lt;THandler, TParams&gt;(type)</c>), then
    /// map the endpoint with <see cref="CourierRunnerEndpointRouteBuilderExtensions.MapCourierRunner"/>. Shared settings
    /// (topic names, params binding, <see cref="CourierOptions.MaxEventBytes"/>) come from <c>services.Configure&lt;CourierOptions&gt;</c>.
    /// In an app that already calls <c>AddCourier</c>, use <see cref="AddCourierRunner(CourierBuilder, Action{CourierRunnerOptions}?)"/>.
    /// </summary>
    public static CourierBuilder AddCourierRunner(this IServiceCollection services, Action<CourierRunnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RunnerEndpoint)))
        {
            throw new InvalidOperationException("AddCourierRunner() was already called on this service collection");
        }
        if (services.Any(d => d.ServiceType == typeof(JobHandlerRegistry)))
        {
            // A second AddCourier would register handlers on a builder whose registry is never used.
            throw new InvalidOperationException(
                "AddCourier() was already called: call .AddCourierRunner() on the CourierBuilder it returned, so the runner serves its handlers");
        }
        return services.AddCourier().DisableDispatcher().AddCourierRunner(configure);
    }

    /// <summary>
    /// Adds the runner endpoint's services to an app that already has Courier; the runner executes the handlers
    /// registered on <paramref name="courier"/>. Its dispatcher (if not disabled) keeps running beside it.
    /// </summary>
    public static CourierBuilder AddCourierRunner(this CourierBuilder courier, Action<CourierRunnerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(courier);
        var services = courier.Services;
        if (services.Any(d => d.ServiceType == typeof(RunnerEndpoint)))
        {
            throw new InvalidOperationException("AddCourierRunner() was already called on this service collection");
        }
        services.AddOptions<CourierRunnerOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddSingleton<RunnerOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<CourierRunnerOptions>>(sp => sp.GetRequiredService<RunnerOptionsSetup>());
        services.AddSingleton<IValidateOptions<CourierRunnerOptions>>(sp => sp.GetRequiredService<RunnerOptionsSetup>());
        services.TryAddSingleton(sp => new RunnerMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<JobHandlerRegistry>(),
            sp.GetRequiredService<IOptions<CourierOptions>>().Value.Release));
        services.TryAddSingleton<RunnerTracing>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<RunnerEndpoint>();
        services.AddHealthChecks().AddCheck<RunnerReadinessCheck>(HealthCheckTag, HealthStatus.Unhealthy, [HealthCheckTag, "ready"]);
        return courier;
    }
}
