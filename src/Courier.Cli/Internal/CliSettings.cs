using System.CommandLine;
using System.Globalization;
using Courier.Server;

namespace Courier.Cli.Internal;

/// <summary>The data directory, configuration and options a command runs with, resolved from flags and the config file.</summary>
internal sealed class CliSettings
{
    public required CourierDataDirectory Data { get; init; }

    public CourierConfig? Config { get; init; }

    public string? ConfigPath { get; init; }

    public required CourierOptions CourierOptions { get; init; }

    public required DispatcherOptions DispatcherOptions { get; init; }

    public bool Verbose { get; init; }

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
        };
    }

    /// <summary>
    /// The port of the configuration's <c>metrics.listen</c> (<c>host:port</c>), or null when it sets none. The
    /// endpoint is served on 127.0.0.1 only, so a host other than a loopback name is a configuration error.
    /// </summary>
    public int? MetricsPortFromConfig()
    {
        if (Config?.Metrics?.Listen is not { Length: > 0 } listen)
        {
            return null;
        }
        var colon = listen.LastIndexOf(':');
        var host = colon >= 0 ? listen[..colon] : "";
        var portText = colon >= 0 ? listen[(colon + 1)..] : listen;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new CourierConfigException(ConfigPath ?? "", "metrics.listen", $"'{listen}' is not host:port with a port from 0 to 65535");
        }
        if (host is not ("" or "127.0.0.1" or "localhost" or "[::1]" or "::1"))
        {
            throw new CourierConfigException(ConfigPath ?? "", "metrics.listen",
                $"'{listen}': /metrics is served on 127.0.0.1 only; use 127.0.0.1:<port>");
        }
        return port;
    }

    /// <summary>Opens the job log, recording its path so errors can name it.</summary>
    public IJobLog OpenLog(CliContext context, bool mustExist)
    {
        context.OpenedLogPath = Data.LogPath;
        return Data.OpenJobLog(mustExist, CourierOptions.DefaultPartitions);
    }
}
