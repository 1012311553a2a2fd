using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Logging;
using Courier.Cli.Settings;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier kafka dev</c>: librdkafka's mock cluster in this process — real Kafka wire protocol on local ports — until
/// Ctrl+C or SIGTERM. Prints the bootstrap list for <c>--kafka</c>, kcat or any Kafka client.
/// </summary>
internal sealed class KafkaDevCommand : Command
{
    private readonly Option<int> _brokers = new("--brokers")
    {
        Description = "Number of brokers.",
        HelpName = "N",
        DefaultValueFactory = _ => CliSettings.DevClusterBrokers,
    };
    private readonly Option<string?> _logFormat = LogFormatOption.Create();
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print {\"bootstrap_servers\": …, \"brokers\": N} on one line instead of the bare list.",
    };

    public KafkaDevCommand(CliContext context)
        : base("dev", "Start a Kafka development cluster (librdkafka's mock brokers) in this process, print its bootstrap list "
            + "on stdout and keep it up until Ctrl+C. Not for production: each partition keeps only about 5 MiB.")
    {
        Options.Add(_brokers);
        Options.Add(_json);
        Options.Add(_logFormat);
        IntegerRange.Check(_brokers, 1, 16, "--brokers must be between 1 and 16.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        // First, so that every failure after it is reported in the chosen format.
        var format = context.LogFormat = LogFormatOption.Resolve(parseResult, _logFormat, Environment.GetEnvironmentVariable);
        if (parseResult.GetValue(context.Globals.Kafka) is not null)
        {
            throw new UsageException("--kafka names the cluster other commands run on; `courier kafka dev` starts one.");
        }
        var console = context.Console;
        var brokers = parseResult.GetValue(_brokers);
        var level = parseResult.GetValue(context.Globals.Verbose) ? LogLevel.Information : LogLevel.Warning;
        using var loggerFactory = ConsoleLogging.CreateFactory(level, console, format);
        var status = StatusLines.For(format, console, loggerFactory);
        using var cluster = KafkaDevCluster.Start(brokers, loggerFactory);

        // stdout carries only the list (or one JSON line), so a script can read the first line and go on.
        if (parseResult.GetValue(_json))
        {
            await console.Out.WriteLineAsync(new JsonObject
            {
                ["bootstrap_servers"] = cluster.BootstrapServers,
                ["brokers"] = cluster.BrokerCount,
            }.ToJsonString());
        }
        else
        {
            await console.Out.WriteLineAsync(cluster.BootstrapServers);
        }
        await console.Out.FlushAsync();
        await status.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"Kafka development cluster: {cluster.BrokerCount} mock brokers at {cluster.BootstrapServers}; Ctrl+C stops it."));
        await status.WriteAsync($"  courier up --kafka {cluster.BootstrapServers}    kcat -b {cluster.BootstrapServers} -L");
        await status.WriteAsync("  Limits of the mock: everything is in memory; each partition keeps about 5 MiB (the oldest records "
            + "beyond that are dropped).");
        await status.FlushAsync();

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.Shutdown);
        }
        catch (OperationCanceledException) when (context.Shutdown.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the asked-for way to stop, so exit 0.
        }
        await status.WriteAsync("Kafka development cluster stopped.");
        return ExitCodes.Ok;
    }
}
