using System.Net;
using Courier.Server.Admin;
using Courier.Server.Admin.Index;
using Courier.Server.Alerting;
using Courier.Server.Check;
using Courier.Server.Console;
using Courier.Server.Canaries;
using Courier.Server.Control;
using Courier.Server.Data;
using Courier.Server.Downtimes;
using Courier.Server.Demo;
using Courier.Server.Intake;
using Courier.Server.Probes;
using Courier.Server.Recurring;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Server.Hosting;

/// <summary>
/// The dispatcher service: Courier (client, dispatcher, in-process executor) on a job log engine (the embedded log in
/// <c>&lt;data&gt;/log.db</c> by default, or Kafka: <see cref="CourierServerOptions.Engine"/>) with a state store
/// (<c>&lt;data&gt;/state.db</c> by default, or Redis: <see cref="CourierServerOptions.State"/>), rules from the configuration file (and the demo's for demo types
/// with <see cref="CourierServerOptions.Demo"/>; a default rule naming a runner pool covers every job topic: <see cref="DefaultRunnerRoute"/>), and HTTP
/// surfaces (admin, intake, metrics: <see cref="Security.HttpSurface"/>) on 127.0.0.1 by default or where <c>http.listen</c> says, every endpoint
/// behind the access check of its declared surface and scope (<see cref="Security.EndpointAccess"/>; tokens, CSRF), with the intake <c>POST /v1/events</c> (a job event or a JSON array of them, checked and
/// appended before the answer), <c>GET /v1/alerts</c> (the built-in watcher's alerts: <see cref="AlertWatcher"/>), <c>GET /v1/probes</c>
/// (synthetic probe results per type: <see cref="Dispatcher.GetProbes"/>), <c>GET /v1/check</c> (the deploy gate: <see cref="CheckHosting"/>),
/// <c>GET /v1/canaries</c> (<see cref="CanaryEndpoints"/>), <c>POST /v1/types/{type}/pause|resume</c> (<see cref="TypeControlEndpoints"/>),
/// the types, their history and downtimes with the OpenAPI description <c>GET /v1/openapi.json</c> (<see cref="AdminApiHosting"/>),
/// <c>/metrics</c> (Prometheus, meter <c>Courier</c>), <c>/health/live</c> and
/// <c>/health/ready</c>, answering only the allowed host names (<see cref="CourierServerOptions.AllowedHosts"/>) within
/// <see cref="CourierServerOptions.Http"/>'s limits. The caller owns the lifetime: <see cref="StartAsync"/>, <see cref="StopAsync"/>; signals
/// are left to the caller.
/// </summary>
public sealed class CourierServer : IAsyncDisposable
{
    /// <summary>The route of the probe results: <c>{"probes":[ProbeStatus...]}</c>, by type (<see cref="ProbeEndpoints"/>).</summary>
    public const string ProbesRoute = ProbeEndpoints.Route;

    private readonly WebApplication _app;

    private readonly SurfaceListeners _listeners;

    private CourierServer(WebApplication app, CourierServerOptions options, JobLogEngine engine, StateStoreChoice state, SurfaceListeners listeners)
    {
        _app = app;
        _listeners = listeners;
        Data = options.Data;
        Engine = engine;
        State = state;
    }

    /// <summary>The data directory.</summary>
    public CourierDataDirectory Data { get; }

    /// <summary>The job log engine the service runs on.</summary>
    public JobLogEngine Engine { get; }

    /// <summary>The state store the dispatcher keeps its scheduling state in.</summary>
    public StateStoreChoice State { get; }

    /// <summary>The container.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The job log.</summary>
    public IJobLog Log => Services.GetRequiredService<IJobLog>();

    /// <summary>The dispatcher.</summary>
    public Dispatcher Dispatcher => Services.GetRequiredService<Dispatcher>();

    /// <summary>The client, for enqueuing.</summary>
    public CourierClient Client => Services.GetRequiredService<CourierClient>();

    /// <summary>Courier's settings, as configured.</summary>
    public CourierOptions CourierOptions => Services.GetRequiredService<IOptions<CourierOptions>>().Value;

    /// <summary>The dispatcher's settings, as configured.</summary>
    public DispatcherOptions DispatcherOptions => Services.GetRequiredService<IOptions<DispatcherOptions>>().Value;

    /// <summary>The admin surface's base address once started, e.g. <c>http://127.0.0.1:9464/</c> (<see cref="AdminUrl"/>).</summary>
    public Uri? BaseUrl => AdminUrl;

    /// <summary>The admin surface's base address (admin API, console) once started.</summary>
    public Uri? AdminUrl { get; private set; }

    /// <summary>The intake surface's base address (<c>POST /v1/events</c>) once started.</summary>
    public Uri? IntakeUrl { get; private set; }

    /// <summary>The metrics surface's base address (<c>/metrics</c>, health) once started.</summary>
    public Uri? MetricsBaseUrl { get; private set; }

    /// <summary>The Prometheus scrape address once started.</summary>
    public Uri? MetricsUrl => MetricsBaseUrl is null ? null : new Uri(MetricsBaseUrl, "metrics");

    /// <summary>Builds the service; nothing runs until <see cref="StartAsync"/>.</summary>
    public static CourierServer Create(CourierServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MetricsPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MetricsPort, IPEndPoint.MaxPort);
        options.Data.EnsureCreated();

        var limits = options.Config?.Http?.ApplyTo(options.Http) ?? options.Http;
        var security = ServerSecurity.From(options, options.Config, options.Environment ?? System.Environment.GetEnvironmentVariable);
        var builder = HostBuilding.CreateBuilder("courier", options.Data, k => security.Listeners.Configure(k, security.Certificate), limits,
            options.TimeProvider, options.ConfigureLogging);
        security.AddServices(builder.Services, options.Data);
        builder.Services.AddSingleton<IHostLifetime, ManualHostLifetime>();

        var config = options.Config;
        var engine = options.Engine ?? JobLogEngine.FromConfig(config, options.Data);
        // The configuration maps onto both option types at once; each registration applies its half.
        var courier = builder.Services.AddCourier(o => config?.ApplyTo(o, new DispatcherOptions()));
        // The state store first: the embedded log adds a store of its own only when none is registered.
        var state = options.State ?? StateStoreChoice.FromConfig(config, options.Data);
        state.Use(courier);
        engine.Use(courier);
        courier.ConfigureDispatcher(o =>
        {
            // The service (courier up, courier serve, the demo) writes the outcome ledger unless the file's
            // dispatcher.ledger says false; the library's default stays off for embedders who never audit.
            o.OutcomeLedger = true;
            config?.ApplyTo(new CourierOptions(), o);
            if (options.Demo)
            {
                DemoRules.AddTo(o);
            }
        });
        if (options.Demo)
        {
            courier.AddDemoHandlers(options.Data.InboxPath);
        }
        // After every other configuration of the rules (the file's, the demo's, the caller's): it sees the final default rule.
        builder.Services.AddOptions<DispatcherOptions>()
            .PostConfigure<IOptions<CourierOptions>>((o, c) => DefaultRunnerRoute.AddTo(o, c.Value.Topics));
        HostSchemas.Use(courier, options.ParamsSchemaDirectory ?? config?.ParamsSchemas?.Directory,
            options.RequireParamsSchemas ?? config?.ParamsSchemas?.RequireSchemas, options.Demo);
        options.ConfigureCourier?.Invoke(courier);
        var intakeMaxBodyBytes = config?.Intake?.MaxBodyBytes ?? options.IntakeMaxBodyBytes;
        ArgumentOutOfRangeException.ThrowIfLessThan(intakeMaxBodyBytes, 1);
        var intakeMaxEvents = config?.Intake?.MaxEvents ?? options.IntakeMaxEvents;
        ArgumentOutOfRangeException.ThrowIfLessThan(intakeMaxEvents, 1);
        builder.Services.AddSingleton(sp => new EventIntake(sp.GetRequiredService<IJobLog>(), sp.GetRequiredService<JobEventCodec>(),
            sp.GetRequiredService<IOptions<CourierOptions>>().Value, sp.GetRequiredService<CourierTelemetry>(),
            sp.GetRequiredService<ILoggerFactory>(), intakeMaxBodyBytes, intakeMaxEvents, options.TimeProvider));

        // The downtimes `courier downtime add` writes into the data directory silence the built-in watcher's alerts
        // (unless the caller registered a reader of its own).
        builder.Services.TryAddSingleton<IDowntimeReader>(_ => DowntimeStore.In(options.Data, options.TimeProvider));
        builder.Services.AddAdminApi(options.Data, options.TimeProvider, config);
        // The dead letters of the admin API and the console, from an index the service keeps of the error topic.
        builder.Services.AddDeadLetterIndex(options.Data);
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("courier", tags: ["ready"]);
        // Traces: the dispatcher's executions and, beneath them, its requests to runner pools (which carry the context on).
        // The built-in watcher reads the same counters through a reader of its own on the same meter provider.
        HostTelemetry.Add(builder.Services, "courier", CourierTelemetry.Name, [CourierTelemetry.Name, "System.Net.Http"],
            OtlpTarget.Resolve(config?.Telemetry, Environment.GetEnvironmentVariable),
            m => builder.Services.AddAlertWatcher(m, config?.Alerting));

        var allowedHosts = config?.Http?.AllowedHosts ?? options.AllowedHosts;
        // The host's own stop limit (30 s by default) cut a longer drain short: `courier serve` with a 60 s drain and a
        // 38 s job exited "interrupted" (130) at 30 s. The host waits as long as the dispatcher's stop may take. The
        // drain is read from the configuration here, not through IOptions<DispatcherOptions>: the host reads its options
        // while it is built, and the dispatcher's would load the params schemas then, before StartAsync reports them.
        var stopping = new DispatcherOptions();
        config?.ApplyTo(new CourierOptions(), stopping);
        builder.Services.PostConfigure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, stopping.StopTimeout.Ticks)));
        var app = builder.Build();
        // First: no endpoint (intake, metrics, health) answers a host name it does not know.
        var hostAllowList = new HostAllowList(allowedHosts, app.Services.GetRequiredService<ILoggerFactory>());
        app.Use(hostAllowList.InvokeAsync);
        // Then routing and the access check: every endpoint declares its surface and scope (EndpointAccess).
        security.Use(app);
        app.MapPrometheusScrapingEndpoint().RequireAccess(HttpSurface.Metrics, scope: null);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).RequireAccess(HttpSurface.Metrics, scope: null);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).RequireAccess(HttpSurface.Metrics, scope: null);
        app.MapIntake();
        app.MapAlerts();
        app.MapProbes();
        app.MapCheck();
        app.MapCanaries();
        app.MapTypeControl();
        app.MapJobControl();
        app.MapRecurring();
        app.MapConsole();
        app.MapAdminApi();
        app.MapDeadLetters();
        app.MapGet("/", () => Results.Text(
            $"Courier: POST {EventIntake.Route}; GET {AlertingHosting.Route}, {ProbesRoute}, {CheckHosting.Route}, {CanaryEndpoints.Route}, {RecurringEndpoints.Route}, {DeadLetterEndpoints.Route}; "
            + "GET /v1/types, /v1/downtimes, /v1/openapi.json (every /v1 route); POST /v1/types/{type}/pause|resume, /v1/dead-letters/replay; /metrics, /health/live, /health/ready\n"))
            .WithDisplayName("Courier index").RequireAccess(HttpSurface.Admin, scope: null);
        return new CourierServer(app, options, engine, state, security.Listeners);
    }

    /// <summary>Starts the HTTP endpoint and the dispatcher.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (State.WarningFor(Engine) is { } warning)
        {
            HostLog.StateStoreWarning(Services.GetRequiredService<ILoggerFactory>().CreateLogger<CourierServer>(), warning);
        }
        await _app.StartAsync(cancellationToken);
        AdminUrl = _listeners.UrlOf(HttpSurface.Admin);
        IntakeUrl = _listeners.UrlOf(HttpSurface.Intake);
        MetricsBaseUrl = _listeners.UrlOf(HttpSurface.Metrics);
        if (BaseUrl is not null)
        {
            Services.GetRequiredService<AlertWatcher>().GeneratorUrl = new Uri(BaseUrl, AlertingHosting.Route.TrimStart('/'));
        }
    }

    /// <summary>Stops the dispatcher (draining in-flight jobs within its bound) and the HTTP endpoint.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
