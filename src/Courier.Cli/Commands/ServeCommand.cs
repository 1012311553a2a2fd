using System.CommandLine;
using System.Globalization;
using Courier.Cli.Logging;
using Courier.Cli.Serving;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Configuration;
using Courier.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier serve</c>: the dispatcher service alone — no demo workload, no live display — on the engine of the
/// configuration (or <c>--kafka</c>), with log lines on stderr and <c>/metrics</c> and health on 127.0.0.1 (or where <c>http.listen</c> says), until
/// Ctrl+C or SIGTERM. It runs what the configuration says: its rules, patterns and runner pools, and params schemas
/// only from <c>params_schemas</c>. The CLI has no handlers of its own; <c>--demo</c> adds the demo's handlers, rules
/// and schemas.
/// </summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<int?> _metricsPort = new("--metrics-port")
    {
        Description = "Port of the HTTP surfaces' default address, 127.0.0.1 or metrics.listen's host (default 9464, or metrics.listen's port); 0 picks a free port.",
        HelpName = "PORT",
    };
    private readonly Option<int> _progressInterval = new("--progress-interval")
    {
        Description = "Seconds between progress log lines (totals of finished jobs), written only when something changed; 0: none.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 30,
    };

    private readonly Option<string?> _logFormat = LogFormatOption.Create();

    private readonly Option<bool> _demo = new("--demo")
    {
        Description = "Also run the demo handlers (massMessage, htmlCacheUpdate, refreshLinks) with the demo rules and params schemas, as `courier up` does.",
    };

    public ServeCommand(CliContext context)
        : base("serve", "Run the dispatcher service on the configured engine (engine section of --config, or --kafka): the configuration's "
            + "rules, patterns and runner pools, log lines, /metrics and health on 127.0.0.1, until Ctrl+C. No handlers in process unless --demo.")
    {
        Options.Add(_demo);
        Options.Add(_metricsPort);
        Options.Add(_progressInterval);
        Options.Add(_logFormat);
        IntegerRange.Check(_metricsPort, 0, 65535, "--metrics-port must be between 0 and 65535.");
        IntegerRange.Check(_progressInterval, 0, 86_400, "--progress-interval must be between 0 and 86400 seconds.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var format = context.LogFormat = LogFormatOption.Resolve(parseResult, _logFormat, Environment.GetEnvironmentVariable);
        var settings = CliSettings.Resolve(parseResult, context);
        var port = parseResult.GetValue(_metricsPort) ?? settings.MetricsPortFromConfig() ?? CourierServerOptions.DefaultMetricsPort;
        var progressInterval = TimeSpan.FromSeconds(parseResult.GetValue(_progressInterval));
        var level = settings.Verbose ? LogLevel.Debug : LogLevel.Information;
        var demo = parseResult.GetValue(_demo);
        // Without --demo there are no schemas but the configuration's: requiring them without a directory would be
        // silently ignored, so it is refused.
        if (!demo && settings.Config?.ParamsSchemas is { RequireSchemas: true, Directory: null })
        {
            throw new CourierConfigException(settings.ConfigPath ?? "", "params_schemas.require_schemas",
                "is true, but params_schemas.directory names no schemas to require (without --demo there are none); set directory, or pass --demo for the demo schemas");
        }
        var shutdown = context.Shutdown;
        var time = TimeProvider.System;

        using var loggerFactory = ConsoleLogging.CreateFactory(level, context.Console, format);
        var logger = loggerFactory.CreateLogger("Courier.Cli.Serve");
        using var engine = settings.StartEngine(context, allowDevCluster: true, loggerFactory);
        if (engine.DevCluster is { } cluster)
        {
            ServeLog.DevCluster(logger, cluster.BrokerCount, cluster.BootstrapServers);
        }

        var (jobLog, onDevCluster) = await engine.Engine.ForDispatcherOnDevClusterAsync(shutdown);
        if (onDevCluster)
        {
            ServeLog.DevClusterGroups(logger, jobLog.Location);
        }
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = settings.Data,
            Config = settings.Config,
            Engine = jobLog,
            MetricsPort = port,
            // The CLI has no handlers of its own: without --demo jobs run where the configuration's rules send them.
            Demo = demo,
            ConfigureLogging = logging =>
            {
                ConsoleLogging.Configure(logging, level, context.Console, format);
                // A failed start is reported once, by the command (exit code and message).
                logging.AddFilter("Microsoft.Extensions.Hosting", settings.Verbose ? LogLevel.Warning : LogLevel.Critical);
            },
        });
        ServeRouting.Check(server.DispatcherOptions, server.Services.GetRequiredService<JobHandlerRegistry>(), logger);
        try
        {
            await server.StartAsync(shutdown);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new CommandFailedException(
                $"cannot listen on port {port.ToString(CultureInfo.InvariantCulture)} (or an address of http.listen): {e.Message} (pass --metrics-port 0 to pick a free port)", e);
        }
        // Named types, then the topic patterns that pick up the others as their topics appear.
        var types = server.DispatcherOptions.AllJobTypes()
            .Concat(server.DispatcherOptions.PatternRules.Select(p => $"{p.Pattern} (pattern {p.Name})")).DefaultIfEmpty("none");
        var handlers = server.Services.GetRequiredService<JobHandlerRegistry>();
        ServeLog.Started(logger, server.Engine.Name, server.Engine.Location, server.State.Describe(), server.DispatcherOptions.GroupId, string.Join(", ", types),
            Handlers(demo, handlers), server.MetricsUrl?.ToString(), server.AdminUrl?.ToString(), server.IntakeUrl?.ToString());
        if (ConsoleAddress.Line(server) is { } consoleLine)
        {
            await StatusLines.For(format, context.Console, loggerFactory).WriteAsync(consoleLine);
        }

        var last = Totals(server.Dispatcher.GetStats());
        while (!shutdown.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(progressInterval > TimeSpan.Zero ? progressInterval : Timeout.InfiniteTimeSpan, time, shutdown);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                break;
            }
            var now = Totals(server.Dispatcher.GetStats());
            if (now != last)
            {
                ServeLog.Progress(logger, now.Succeeded, now.DeadLettered, now.Ignored, now.Retried, now.InFlight);
                last = now;
            }
        }

        // Stop without the shutdown token: the stop is the graceful part (drain within the bound, commit). A second
        // Ctrl+C ends the process at once.
        ServeLog.Stopping(logger);
        await server.StopAsync(CancellationToken.None);
        var final = Totals(server.Dispatcher.GetStats());
        ServeLog.Stopped(logger, final.Succeeded, final.DeadLettered, final.Ignored, final.Retried);
        return ExitCodes.Ok;
    }

    private static string Handlers(bool demo, JobHandlerRegistry handlers) =>
        demo ? "demo (" + string.Join(", ", handlers.JobTypes.Order(StringComparer.Ordinal)) + ")" : "none (jobs run on runner pools)";

    private static (long Succeeded, long DeadLettered, long Ignored, long Retried, long InFlight) Totals(IReadOnlyList<JobTypeStats> stats) =>
        (stats.Sum(s => s.Succeeded), stats.Sum(s => s.DeadLettered), stats.Sum(s => s.Ignored), stats.Sum(s => s.Retried), stats.Sum(s => s.InFlight));
}
