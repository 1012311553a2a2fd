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

    /// <summary>
    /// Adds a recurring job: one job of <see cref="Recurring.RecurringJob.Type"/> enqueued at every tick of its cron
    /// expression, once across the dispatchers sharing a state store (docs/operations.md, "Recurring jobs").
    /// </summary>
    public CourierBuilder AddRecurring(Recurring.RecurringJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Services.Configure<DispatcherOptions>(o => o.Recurring.Add(job));
        return this;
    }

    /// <summary>
    /// Registers <typeparamref name="THandler"/> (a singleton) for jobs of <paramref name="jobType"/>; <paramref name="probes"/>
    /// says how it treats synthetic probe jobs (skipped once their params bind, by default).
    /// </summary>
    public CourierBuilder AddHandler<THandler, TParams>(string jobType, ProbeHandling probes = ProbeHandling.Skip)
        where THandler : class, IJobHandler<TParams>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        Services.AddSingleton<THandler>();
        HandlerRegistrations.Add((sp, registry) => registry.Add(jobType, sp.GetRequiredService<THandler>(), probes));
        return this;
    }

    /// <summary>Registers a handler instance for jobs of <paramref name="jobType"/>; <paramref name="probes"/> as in the other overload.</summary>
    public CourierBuilder AddHandler<TParams>(string jobType, IJobHandler<TParams> handler, ProbeHandling probes = ProbeHandling.Skip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(handler);
        HandlerRegistrations.Add((_, registry) => registry.Add(jobType, handler, probes));
        return this;
    }

    /// <summary>
    /// Checks params against the schemas of <paramref name="directory"/> (<c>&lt;type&gt;/&lt;major.minor.patch&gt;.json</c>,
    /// docs/contracts.md), loaded once when Courier's options are first read — at host start, since options are
    /// validated then — so a bad schema stops the start with a <see cref="ParamsSchemaException"/> naming the file.
    /// Sets <see cref="CourierOptions.ParamsSchemas"/>, and <see cref="CourierOptions.RequireParamsSchemas"/> when
    /// <paramref name="requireSchemas"/> is given.
    /// </summary>
    public CourierBuilder UseParamsSchemas(string directory, bool? requireSchemas = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Services.Configure<CourierOptions>(o =>
        {
            o.ParamsSchemas = ParamsSchemaRegistry.Load(directory);
            if (requireSchemas is { } require)
            {
                o.RequireParamsSchemas = require;
            }
        });
        return this;
    }

    /// <summary>Checks params against a registry already loaded; see <see cref="UseParamsSchemas(string, bool?)"/>.</summary>
    public CourierBuilder UseParamsSchemas(ParamsSchemaRegistry registry, bool? requireSchemas = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Services.Configure<CourierOptions>(o =>
        {
            o.ParamsSchemas = registry;
            if (requireSchemas is { } require)
            {
                o.RequireParamsSchemas = require;
            }
        });
        return this;
    }

    /// <summary>
    /// Registers a params converter for the handler of <paramref name="jobType"/>: jobs written with a version matching
    /// <paramref name="fromVersions"/> (<c>1.x</c>, <c>1.2.x</c>, <c>1.2.0</c> or <c>unversioned</c>) are converted to
    /// <paramref name="toVersion"/>'s shape before binding. See <see cref="JobHandlerRegistry.AddConverter"/>.
    /// </summary>
    public CourierBuilder AddParamsConverter(string jobType, string fromVersions, string toVersion, Func<JobEvent, System.Text.Json.JsonElement> convert)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(convert);
        // Refuse a bad pattern here, where the call is, not when the registry is first resolved.
        JobHandlerRegistry.ParseConverterVersions(fromVersions, toVersion);
        HandlerRegistrations.Add((_, registry) => registry.AddConverter(jobType, fromVersions, toVersion, convert));
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
