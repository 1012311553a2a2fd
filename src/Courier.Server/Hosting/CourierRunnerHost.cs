using System.Net;
using System.Security.Cryptography.X509Certificates;
using Courier.Server.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Server.Hosting;

/// <summary>
/// A runner service: the runner endpoint (<c>MapCourierRunner</c>, default <c>/rpc/RunSingleJob</c>) with the demo
/// handlers, <c>/health/live</c>, <c>/health/ready</c> and Prometheus <c>/metrics</c> (meter <c>Courier.Runner</c>) on
/// one port. No job log and no dispatcher: a dispatcher elsewhere POSTs jobs to it. The caller owns the lifetime;
/// signals are left to the caller.
/// </summary>
public sealed class CourierRunnerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _path;
    private readonly X509Certificate2? _certificate;

    private CourierRunnerHost(WebApplication app, string path, X509Certificate2? certificate)
    {
        _app = app;
        _path = path;
        _certificate = certificate;
    }

    /// <summary>The container.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The runner's settings, as configured (keys included).</summary>
    public CourierRunnerOptions RunnerOptions => Services.GetRequiredService<IOptions<CourierRunnerOptions>>().Value;

    /// <summary>Job types the runner has handlers for.</summary>
    public IReadOnlyCollection<string> JobTypes => Services.GetRequiredService<JobHandlerRegistry>().JobTypes;

    /// <summary>The base address once started, e.g. <c>http://127.0.0.1:9470/</c> (<c>https://</c> with a certificate).</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>The runner endpoint's address once started (what a dispatcher's runner pool names).</summary>
    public Uri? RunnerUrl => BaseUrl is null ? null : new Uri(BaseUrl, _path.TrimStart('/'));

    /// <summary>The Prometheus scrape address once started.</summary>
    public Uri? MetricsUrl => BaseUrl is null ? null : new Uri(BaseUrl, "metrics");

    /// <summary>The readiness address once started.</summary>
    public Uri? ReadyUrl => BaseUrl is null ? null : new Uri(BaseUrl, "health/ready");

    /// <summary>
    /// Builds the service; nothing listens until <see cref="StartAsync"/>. Invalid runner settings (no keys, say) throw
    /// <see cref="OptionsValidationException"/> here, and a certificate that cannot be used an <see cref="ArgumentException"/>
    /// (parameter name <c>certificate</c>) naming its file.
    /// </summary>
    public static CourierRunnerHost Create(CourierRunnerHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        var address = ParseHost(options.Host);
        var certificate = LoadCertificate(options.CertificateFile, options.CertificateKeyFile);
        try
        {
            return Create(options, address, certificate);
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }
    }

    private static CourierRunnerHost Create(CourierRunnerHostOptions options, IPAddress address, X509Certificate2? certificate)
    {
        options.Data.EnsureCreated();

        var limits = options.Config?.Http?.ApplyTo(options.Http) ?? options.Http;
        var builder = HostBuilding.CreateBuilder("courier-runner", options.Data, address, options.Port, limits, options.TimeProvider, options.ConfigureLogging,
            certificate);
        // In-flight jobs may finish on Ctrl+C: the stop waits up to one execution limit (and a little) for them.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ExecutionLimit + TimeSpan.FromSeconds(5));

        var config = options.Config;
        builder.Services.Configure<CourierOptions>(o => config?.ApplyTo(o, new DispatcherOptions()));
        var courier = builder.Services.AddCourierRunner(o =>
        {
            foreach (var key in options.Keys)
            {
                o.Keys.Add(key);
            }
            o.ExecutionLimit = options.ExecutionLimit;
            o.MaxConcurrency = options.MaxConcurrency;
            options.ConfigureRunner?.Invoke(o);
        });
        if (options.Demo)
        {
            courier.AddDemoHandlers(options.Data.InboxPath);
        }
        // The same contract as the dispatcher: params are checked against the configured schemas, or the demo's.
        HostSchemas.Use(courier, config?.ParamsSchemas?.Directory, config?.ParamsSchemas?.RequireSchemas, options.Demo);
        options.ConfigureCourier?.Invoke(courier);

        // Traces: ASP.NET Core's request activities (they continue the dispatcher's traceparent) and the executions under them.
        HostTelemetry.Add(builder.Services, "courier-runner", CourierRunnerTelemetry.Name, [CourierRunnerTelemetry.Name, "Microsoft.AspNetCore"],
            OtlpTarget.Resolve(config?.Telemetry, Environment.GetEnvironmentVariable));

        var app = builder.Build();
        app.MapCourierRunner(options.Path);
        app.MapCourierRunnerHealth();
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/", () => Results.Text($"Courier runner: POST {options.Path}; /metrics, /health/live, /health/ready\n"));
        return new CourierRunnerHost(app, options.Path, certificate);
    }

    private static X509Certificate2? LoadCertificate(string? certificate, string? keyFile)
    {
        if (certificate is null)
        {
            return keyFile is null ? null
                : throw new ArgumentException($"a key file '{keyFile}' is given without a certificate file", nameof(certificate));
        }
        try
        {
            return ServerCertificateFile.Load(certificate, keyFile, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(certificate), e);
        }
    }

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken);
        BaseUrl = HostBuilding.BoundUrl(_app);
    }

    /// <summary>Stops: new requests are refused, running jobs finish (within the shutdown timeout), the inbox is flushed.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? address
            : throw new ArgumentException($"'{host}' is not an IP address (or localhost)", nameof(host));
    }
}
