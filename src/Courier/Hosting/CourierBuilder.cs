using Microsoft.Extensions.DependencyInjection;

namespace Courier;

/// <summary>Configures Courier in a service collection; returned by <see cref="CourierServiceCollectionExtensions.AddCourier"/>.</summary>
public sealed class CourierBuilder
{
    internal CourierBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    internal List<Action<IServiceProvider, JobHandlerRegistry>> HandlerRegistrations { get; } = [];

    /// <summary>Adjusts dispatcher settings (rules, group, tiers).</summary>
    public CourierBuilder ConfigureDispatcher(Action<DispatcherOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>Registers <typeparamref name="THandler"/> (a singleton) for jobs of <paramref name="jobType"/>.</summary>
    public CourierBuilder AddHandler<THandler, TParams>(string jobType)
        where THandler : class, IJobHandler<TParams>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        Services.AddSingleton<THandler>();
        HandlerRegistrations.Add((sp, registry) => registry.Add(jobType, sp.GetRequiredService<THandler>()));
        return this;
    }

    /// <summary>Registers a handler instance for jobs of <paramref name="jobType"/>.</summary>
    public CourierBuilder AddHandler<TParams>(string jobType, IJobHandler<TParams> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(handler);
        HandlerRegistrations.Add((_, registry) => registry.Add(jobType, handler));
        return this;
    }

    /// <summary>Uses this job log engine (the engines' own extensions, such as <c>UseSqlite</c>, call this).</summary>
    public CourierBuilder UseJobLog(Func<IServiceProvider, IJobLog> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Registers the client only: no dispatcher runs in this process (a producer-only app).</summary>
    public CourierBuilder DisableDispatcher()
    {
        DispatcherDisabled = true;
        return this;
    }

    internal bool DispatcherDisabled { get; private set; }
}
