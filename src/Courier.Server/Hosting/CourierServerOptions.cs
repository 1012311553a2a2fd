using Microsoft.Extensions.Logging;

namespace Courier.Server;

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

    /// <summary>The loaded configuration file, or null for defaults.</summary>
    public CourierConfig? Config { get; init; }

    /// <summary>Port of the HTTP endpoint on 127.0.0.1 (<c>/metrics</c>, <c>/health/*</c>); 0 picks a free port.</summary>
    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary>Registers the demo handlers and adds demo rules for demo types the configuration does not cover.</summary>
    public bool Demo { get; init; } = true;

    /// <summary>Sets up logging. When null, logs at Warning and above go to stderr.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Further Courier registrations (handlers, rules) after the defaults.</summary>
    public Action<CourierBuilder>? ConfigureCourier { get; init; }

    /// <summary>The clock; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
