using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Security;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Hosting;

/// <summary>How <see cref="CourierServer.Create"/> builds the dispatcher service.</summary>
public sealed class CourierServerOptions
{
    /// <summary>Port used by default for <c>/metrics</c> and health (the OpenTelemetry Prometheus default).</summary>
    public const int DefaultMetricsPort = 9464;

    /// <summary>The data directory (the embedded job log, demo inbox, log file).</summary>
    public required CourierDataDirectory Data { get; init; }

    /// <summary>
    /// The job log engine. When null: the configuration's <c>engine</c> section, else the embedded log in
    /// <see cref="Data"/> (see <see cref="JobLogEngine.FromConfig"/>).
    /// </summary>
    public JobLogEngine? Engine { get; init; }

    /// <summary>
    /// The state store. When null: the configuration's <c>state</c> section, else the embedded store in
    /// <c>&lt;data&gt;/state.db</c> (see <see cref="StateStoreChoice.FromConfig"/>).
    /// </summary>
    public StateStoreChoice? State { get; init; }

    /// <summary>The loaded configuration file, or null for defaults.</summary>
    public CourierConfig? Config { get; init; }

    /// <summary>
    /// Port of the default address of every HTTP surface (the host of <c>metrics.listen</c>, else 127.0.0.1); 0 picks
    /// a free port. <see cref="AdminListen"/>, <see cref="IntakeListen"/>, <see cref="MetricsListen"/> or
    /// <c>http.listen</c> give a surface an address of its own.
    /// </summary>
    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary>Default of <see cref="IntakeMaxBodyBytes"/>: 10 MiB.</summary>
    public const int DefaultIntakeMaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Registers the demo handlers and adds demo rules for demo types the configuration does not cover. Unless
    /// <see cref="ParamsSchemaDirectory"/> names others, jobs are checked against the demo schemas
    /// (<see cref="Demo.DemoSchemas"/>), and job types without a schema are refused.
    /// </summary>
    public bool Demo { get; init; } = true;

    /// <summary>
    /// A params schema directory (<c>&lt;type&gt;/&lt;major.minor.patch&gt;.json</c>, docs/contracts.md) that the client,
    /// the dispatcher and the intake endpoint check jobs against. Null: the configuration's <c>params_schemas.directory</c>,
    /// else the demo schemas when <see cref="Demo"/> is set, else no checks.
    /// </summary>
    public string? ParamsSchemaDirectory { get; init; }

    /// <summary>
    /// Overrides <see cref="CourierOptions.RequireParamsSchemas"/> (refuse job types without a schema). Null: the
    /// configuration's <c>params_schemas.require_schemas</c>, else true for the demo schemas and false for a directory.
    /// </summary>
    public bool? RequireParamsSchemas { get; init; }

    /// <summary>Largest body <c>POST /v1/events</c> accepts (default 10 MiB); a larger one is answered 413.</summary>
    public int IntakeMaxBodyBytes { get; init; } = DefaultIntakeMaxBodyBytes;

    /// <summary>Default of <see cref="IntakeMaxEvents"/>: 10,000.</summary>
    public const int DefaultIntakeMaxEvents = 10_000;

    /// <summary>
    /// Most events one <c>POST /v1/events</c> may hold (default 10,000); more are answered 413, found while the body is
    /// split, before any is decoded. It bounds the work and the answer of one request: 10 MiB of typical 1 KB events is
    /// about 10,000, so only bodies of unusually tiny or junk entries meet it.
    /// </summary>
    public int IntakeMaxEvents { get; init; } = DefaultIntakeMaxEvents;

    /// <summary>Limits of the HTTP server (connections, header and body timeouts, header sizes); the configuration's <c>http</c> section overrides them.</summary>
    public HttpLimits Http { get; init; } = new();

    /// <summary>
    /// Host names the HTTP endpoint answers (the <c>Host</c> header, any port); another is refused 400, so a web page
    /// cannot reach the loopback intake through DNS rebinding. Default: <c>localhost</c>, <c>127.0.0.1</c>,
    /// <c>[::1]</c>. <c>*.example.org</c> allows subdomains, <c>*</c> any host. The configuration's
    /// <c>http.allowed_hosts</c> replaces the list.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = DefaultAllowedHosts;

    /// <summary>Default of <see cref="AllowedHosts"/>: the loopback names.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Address of the admin surface (<see cref="ListenAddress"/>: <c>host:port</c>, <c>https://host:port</c>); over <c>http.listen.admin</c>.</summary>
    public string? AdminListen { get; init; }

    /// <summary>Address of the intake surface; over <c>http.listen.intake</c>.</summary>
    public string? IntakeListen { get; init; }

    /// <summary>Address of the metrics surface (<c>/metrics</c>, health); over <c>http.listen.metrics</c>.</summary>
    public string? MetricsListen { get; init; }

    /// <summary>Tokens accepted besides <c>auth.tokens</c> and <c>COURIER_ADMIN_TOKENS</c>; any token turns authentication on.</summary>
    public IReadOnlyList<AccessToken> Tokens { get; init; } = [];

    /// <summary>Serve the admin or intake surface on a non-loopback address with no token (a warning); <c>auth.allow_unauthenticated_network</c> overrides.</summary>
    public bool AllowUnauthenticatedNetwork { get; init; }

    /// <summary>The TLS certificate file of <c>https://</c> addresses (PEM or PKCS#12); over <c>http.tls.certificate</c>.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The PEM key file of <see cref="TlsCertificateFile"/>, when not in it.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Reads environment variables (<c>COURIER_ADMIN_TOKENS</c>, a PKCS#12 password); the process's when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Sets up logging. When null, logs at Warning and above go to stderr.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Further Courier registrations (handlers, rules) after the defaults.</summary>
    public Action<CourierBuilder>? ConfigureCourier { get; init; }

    /// <summary>The clock; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
