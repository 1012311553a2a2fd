using Courier.Server.Configuration;
using Courier.Server.Data;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Hosting;

/// <summary>How <see cref="CourierRunnerHost.Create(CourierRunnerHostOptions)"/> builds a runner service.</summary>
public sealed class CourierRunnerHostOptions
{
    /// <summary>Port <c>courier runner</c> listens on by default.</summary>
    public const int DefaultPort = 9470;

    /// <summary>
    /// Execution limit of <c>courier runner</c> by default: 20 s, under the demo rules' 30 s timeout, since a
    /// dispatcher's timeout must be longer than its runners' limit (docs/runners.md, "Timeouts").
    /// </summary>
    public static readonly TimeSpan DefaultExecutionLimit = TimeSpan.FromSeconds(20);

    /// <summary>Concurrency of <c>courier runner</c> by default: room for the demo's three types at 50 each.</summary>
    public const int DefaultMaxConcurrency = 256;

    /// <summary>The data directory: the demo inbox (<c>demo.db</c>) the demo handlers deliver to.</summary>
    public required CourierDataDirectory Data { get; init; }

    /// <summary>Address to listen on: an IP address or <c>localhost</c> (default 127.0.0.1).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Path of the runner endpoint.</summary>
    public string Path { get; init; } = RunnerProtocol.DefaultPath;

    /// <summary>Signing keys accepted. When empty, the runner reads <c>COURIER_RUNNER_KEYS</c>.</summary>
    public IReadOnlyList<RunnerKey> Keys { get; init; } = [];

    /// <summary>See <see cref="CourierRunnerOptions.ExecutionLimit"/>.</summary>
    public TimeSpan ExecutionLimit { get; init; } = DefaultExecutionLimit;

    /// <summary>See <see cref="CourierRunnerOptions.MaxConcurrency"/>.</summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>
    /// The certificate to listen over HTTPS with: a PEM certificate (its key in <see cref="CertificateKeyFile"/>, or in
    /// the same file), or a PKCS#12 (PFX) file whose password is in <see cref="CertificatePasswordVariable"/>. Null:
    /// plain HTTP. Read by <see cref="CourierRunnerHost.Create(CourierRunnerHostOptions)"/>, which throws <see cref="ArgumentException"/> naming
    /// the file when it cannot be used.
    /// </summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>, when it is not in the certificate's file.</summary>
    public string? CertificateKeyFile { get; init; }

    /// <summary>Environment variable holding the password of a PKCS#12 (PFX) <see cref="CertificateFile"/>.</summary>
    public const string CertificatePasswordVariable = "COURIER_RUNNER_CERT_PASSWORD";

    /// <summary>The loaded configuration file (topic names, event size limit), or null for defaults.</summary>
    public CourierConfig? Config { get; init; }

    /// <summary>
    /// Registers the demo handlers (massMessage delivers into <see cref="CourierDataDirectory.InboxPath"/>) and checks params
    /// against the demo schemas (<see cref="Demo.DemoSchemas"/>): a job that breaks them is answered 400 <c>decode</c>.
    /// </summary>
    public bool Demo { get; init; } = true;

    /// <summary>
    /// Limits of the HTTP server (connections, header and body timeouts, header sizes): <see cref="HttpLimits"/>' defaults
    /// but 1024 connections, room for dispatchers' connection pools at the default concurrency. The configuration's
    /// <c>http</c> section overrides them.
    /// </summary>
    public HttpLimits Http { get; init; } = new() { MaxConnections = 1024 };

    /// <summary>Sets up logging. When null, logs at Warning and above go to stderr.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Further Courier registrations (handlers) after the demo's.</summary>
    public Action<CourierBuilder>? ConfigureCourier { get; init; }

    /// <summary>Further runner settings, applied last.</summary>
    public Action<CourierRunnerOptions>? ConfigureRunner { get; init; }

    /// <summary>The clock; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
