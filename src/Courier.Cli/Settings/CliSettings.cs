using System.CommandLine;
using System.Globalization;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Security;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Settings;

/// <summary>The data directory, configuration and options a command runs with, resolved from flags and the config file.</summary>
internal sealed class CliSettings
{
    public required CourierDataDirectory Data { get; init; }

    public CourierConfig? Config { get; init; }

    public string? ConfigPath { get; init; }

    public required CourierOptions CourierOptions { get; init; }

    public required DispatcherOptions DispatcherOptions { get; init; }

    public bool Verbose { get; init; }

    /// <summary>The <c>--kafka</c> flag: a bootstrap list, <c>dev</c>, or null for the configuration's engine.</summary>
    public string? Kafka { get; init; }

    /// <summary>Reads <c>--config</c> (exit 2 when it is unreadable or invalid) and <c>--data</c> (flag, then config, then default).</summary>
    public static CliSettings Resolve(ParseResult parseResult, CliContext context)
    {
        var configPath = parseResult.GetValue(context.Globals.Config);
        var config = configPath is null ? null : CourierConfigFile.Load(configPath);
        var courierOptions = new CourierOptions();
        var dispatcherOptions = new DispatcherOptions();
        config?.ApplyTo(courierOptions, dispatcherOptions);
        var data = parseResult.GetValue(context.Globals.Data) ?? config?.Data ?? CourierDataDirectory.DefaultPath;
        return new CliSettings
        {
            Data = new CourierDataDirectory(data),
            Config = config,
            ConfigPath = configPath,
            CourierOptions = courierOptions,
            DispatcherOptions = dispatcherOptions,
            Verbose = parseResult.GetValue(context.Globals.Verbose),
            Kafka = parseResult.GetValue(context.Globals.Kafka),
        };
    }

    /// <summary>The port of the configuration's <c>metrics.listen</c> (<c>host:port</c>), or null when it sets none.</summary>
    public int? MetricsPortFromConfig() => MetricsListenFromConfig()?.Port;

    /// <summary>
    /// Where a client on this machine reaches the admin surface of this configuration's dispatcher: <c>http.listen.admin</c>,
    /// else <c>metrics.listen</c>, else 127.0.0.1:9464 (every address, 0.0.0.0, by the loopback one).
    /// </summary>
    public Uri LocalAdminUrl()
    {
        var admin = Config?.Http?.Listen?.Admin is { } given ? Parse(given, "http.listen.admin") : null;
        var address = admin ?? MetricsListenFromConfig() ?? ListenAddress.Loopback(CourierServerOptions.DefaultMetricsPort);
        return address.LocalUrl(address.Port);
    }

    private ListenAddress? MetricsListenFromConfig() =>
        Config?.Metrics?.Listen is { Length: > 0 } listen ? Parse(listen, "metrics.listen") : null;

    private ListenAddress Parse(string value, string key)
    {
        try
        {
            return ListenAddress.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException(ConfigPath ?? "", key, e.Message, innerException: e);
        }
    }

    /// <summary>
    /// The engine from <c>--kafka</c>, else the configuration's <c>engine</c>, else the embedded log. With
    /// <c>--kafka dev</c> (only where <paramref name="allowDevCluster"/>) a development cluster starts in this
    /// process and stops when the lease is disposed. Records where the log is, so errors can name it.
    /// </summary>
    public EngineLease StartEngine(CliContext context, bool allowDevCluster, ILoggerFactory? loggerFactory = null)
    {
        // The configuration's librdkafka settings (security, tuning) apply to whatever Kafka the flag names.
        var kafkaSettings = Config?.Engine is { Kind: EngineKind.Kafka } e ? e : null;
        EngineLease lease;
        if (Kafka is null)
        {
            lease = new EngineLease(JobLogEngine.FromConfig(Config, Data), null);
        }
        else if (string.Equals(Kafka, DevClusterName, StringComparison.Ordinal))
        {
            if (!allowDevCluster)
            {
                throw new UsageException("--kafka dev starts a development cluster that ends with this command, so there would be nothing "
                    + "to read; start one with `courier kafka dev` and pass the bootstrap list it prints: --kafka HOST:PORT[,…]");
            }
            var cluster = KafkaDevCluster.Start(DevClusterBrokers, loggerFactory);
            try
            {
                // One dispatcher in this process is the whole group: no reason to wait for others to join.
                cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
                lease = new EngineLease(JobLogEngine.DevCluster(cluster, kafkaSettings), cluster);
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }
        else
        {
            lease = new EngineLease(JobLogEngine.Kafka(CheckBootstrapServers(Kafka), kafkaSettings), null);
        }
        context.OpenedLogPath = lease.Engine.Kind == EngineKind.Kafka ? $"kafka {lease.Engine.Location}" : lease.Engine.Location;
        return lease;
    }

    /// <summary>Opens the job log of a command that does not run a dispatcher (no development cluster).</summary>
    public IJobLog OpenLog(CliContext context, bool mustExist)
    {
        using var lease = StartEngine(context, allowDevCluster: false);
        return lease.Engine.Open(mustExist, CourierOptions.DefaultPartitions);
    }

    /// <summary>The value of <c>--kafka</c> that starts a development cluster in the command.</summary>
    public const string DevClusterName = "dev";

    /// <summary>Brokers of the cluster <c>--kafka dev</c> starts (as <c>courier kafka dev</c> does by default).</summary>
    public const int DevClusterBrokers = 3;

    /// <summary>A comma-separated <c>host:port</c> list, or a usage error saying what is expected.</summary>
    internal static string CheckBootstrapServers(string value)
    {
        foreach (var server in value.Split(','))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535 || server.Any(char.IsWhiteSpace))
            {
                throw new UsageException($"--kafka: '{value}' is neither `dev` nor a bootstrap list (host:port[,host:port…])");
            }
        }
        return value;
    }
}
