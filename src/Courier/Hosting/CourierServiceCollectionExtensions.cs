using Courier.Dispatching.Hosting;
using Courier.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier;

/// <summary>Registers Courier in a service collection.</summary>
public static class CourierServiceCollectionExtensions
{
    /// <summary>
    /// Adds the client, the codec, the in-process executor and (unless disabled) the dispatcher as a hosted service.
    /// Rules that name a runner pool (<see cref="JobRule.Runner"/>, <see cref="DispatcherOptions.RunnerPools"/>) run
    /// their jobs on HTTP runners; the rest on the registered <see cref="IJobExecutor"/>.
    /// An engine must be chosen: <c>UseSqlite(path)</c> from Courier.Sqlite (the embedded default the Courier
    /// server uses) or Kafka. Options are validated at start.
    /// </summary>
    public static CourierBuilder AddCourier(this IServiceCollection services, Action<CourierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new CourierBuilder(services);
        services.AddOptions<CourierOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddOptions<DispatcherOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CourierOptions>, CourierOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatcherOptions>, DispatcherOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            // Metric labels name the types this process knows, even with the dispatcher disabled (CourierTelemetry.JobTypes).
            var telemetry = new CourierTelemetry(sp.GetService<IMeterFactory>(), sp.GetService<ILoggerFactory>());
            var courierOptions = sp.GetRequiredService<IOptions<CourierOptions>>().Value;
            telemetry.LearnSchemas(courierOptions);
            telemetry.LearnRules(sp.GetRequiredService<IOptions<DispatcherOptions>>().Value, courierOptions.Topics);
            return telemetry;
        });
        services.TryAddSingleton(sp => new JobEventCodec(sp.GetRequiredService<IOptions<CourierOptions>>().Value));
        services.TryAddSingleton(sp =>
        {
            var registry = new JobHandlerRegistry(sp.GetRequiredService<IOptions<CourierOptions>>().Value);
            foreach (var register in builder.HandlerRegistrations)
            {
                register(sp, registry);
            }
            sp.GetRequiredService<CourierTelemetry>().JobTypes.Know(registry.Contains);
            return registry;
        });
        services.TryAddSingleton<IJobExecutor>(sp => new InProcessExecutor(sp.GetRequiredService<JobHandlerRegistry>()));
        services.TryAddSingleton(sp => new CourierClient(
            RequireLog(sp),
            sp.GetRequiredService<IOptions<CourierOptions>>().Value,
            sp.GetRequiredService<CourierTelemetry>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new Dispatcher(
            RequireLog(sp),
            sp.GetRequiredService<IJobExecutor>(),
            sp.GetRequiredService<IOptions<DispatcherOptions>>().Value,
            sp.GetRequiredService<IOptions<CourierOptions>>().Value,
            sp.GetRequiredService<CourierTelemetry>(),
            sp.GetRequiredService<ILogger<Dispatcher>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<State.IJobStateStore>()));
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp =>
            new DispatcherHostedService(builder.DispatcherDisabled ? null : sp.GetRequiredService<Dispatcher>()));
        return builder;
    }

    private static IJobLog RequireLog(IServiceProvider sp) =>
        sp.GetService<IJobLog>() ?? throw new InvalidOperationException(
            "Courier has no job log engine: call .UseSqlite(path) (package Courier.Sqlite) or .UseKafka(...) after AddCourier().");
}
