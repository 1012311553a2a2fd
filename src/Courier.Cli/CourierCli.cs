using System.CommandLine;
using System.CommandLine.Help;
using Courier.Cli.Commands;
using Courier.Cli.Logging;
using Courier.Cli.Settings;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Microsoft.Extensions.Logging;

namespace Courier.Cli;

/// <summary>The <c>courier</c> command: parsing, dispatch to one class per command, and exit codes.</summary>
public static class CourierCli
{
    /// <summary>
    /// Runs the command line. Returns the exit code: 0 ok, 1 failure, 2 bad usage or configuration, 3 data file
    /// problem, 130 interrupted (see <see cref="ExitCodes"/>). <paramref name="shutdown"/> is the Ctrl+C signal.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken shutdown = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var globals = new GlobalOptions();
        var context = new CliContext(console, globals, shutdown);
        var root = BuildRootCommand(context);
        // No response files: `@FILE` is how --params, --event and --raw name a file, and System.CommandLine would
        // otherwise splice the file's words into the command line.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await console.Error.WriteLineAsync(error.Message);
            }
            await console.Error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                // Signals are handled by the caller's token: the first Ctrl+C asks for a graceful stop.
                ProcessTerminationTimeout = null,
            }, shutdown);
        }
#pragma warning disable CA1031 // The top level turns every failure into a message and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return await ReportAsync(e, console, context, parseResult.GetValue(globals.Verbose));
        }
    }

    internal static Command BuildRootCommand(CliContext context)
    {
        // A plain command named "courier" rather than RootCommand, whose name is the executable's file name
        // (Courier.Cli under `dotnet run`); help and errors then say `courier`.
        var root = new Command("courier", "Courier: background jobs on a Kafka-shaped job log. Start with `courier up`.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(context.Globals.Data);
        root.Options.Add(context.Globals.Config);
        root.Options.Add(context.Globals.Kafka);
        root.Options.Add(context.Globals.Verbose);
        root.Subcommands.Add(new UpCommand(context));
        root.Subcommands.Add(new ServeCommand(context));
        root.Subcommands.Add(new RunnerCommand(context));
        root.Subcommands.Add(new EnqueueCommand(context));
        root.Subcommands.Add(new StatsCommand(context));
        root.Subcommands.Add(new AuditCommand(context));
        root.Subcommands.Add(new AlertsCommand(context));
        root.Subcommands.Add(new CheckCommand(context));
        root.Subcommands.Add(new CanaryCommand(context));
        root.Subcommands.Add(new DlqCommand(context));
        root.Subcommands.Add(new SchemaCommand(context));
        root.Subcommands.Add(new ContractCommand(context));
        root.Subcommands.Add(new KafkaCommand(context));
        root.Subcommands.Add(new DowntimeCommand(context));
        root.Subcommands.Add(PauseCommand.Pause(context));
        root.Subcommands.Add(PauseCommand.Resume(context));
        root.Subcommands.Add(new CancelCommand(context));
        root.Subcommands.Add(new TokenCommand(context));
        root.SetAction(parseResult => new HelpAction().Invoke(parseResult));
        return root;
    }

    private static async Task<int> ReportAsync(Exception e, CliConsole console, CliContext context, bool verbose)
    {
        var (code, message) = Describe(e, context.Shutdown.IsCancellationRequested, context.OpenedLogPath);
        if (context.LogFormat == LogFormat.Json)
        {
            // stderr carries only JSON log events: the failure is one of them (disposing the factory writes it out).
            using var loggerFactory = ConsoleLogging.CreateFactory(LogLevel.Information, console, LogFormat.Json);
            StatusLog.Failed(loggerFactory.CreateLogger(StatusLines.Category), message, verbose ? e : null);
            return code;
        }
        await console.Error.WriteLineAsync($"error: {message}");
        if (verbose)
        {
            await console.Error.WriteLineAsync(e.ToString());
        }
        return code;
    }

    /// <summary>The exit code and one-line message for a failure (stack traces only with --verbose).</summary>
    internal static (int ExitCode, string Message) Describe(Exception e, bool interrupted, string? logPath) => e switch
    {
        OperationCanceledException when interrupted => (ExitCodes.Interrupted, "interrupted"),
        UsageException => (ExitCodes.Usage, e.Message),
        CourierConfigException => (ExitCodes.Usage, e.Message),
        ParamsSchemaException => (ExitCodes.Usage, $"params schemas: {e.Message}"),
        JobEncodingException => (ExitCodes.Usage, $"invalid job: {e.Message}"),
        DataFileException => (ExitCodes.DataFile, e.Message),
        RunnerKeyException keys => (keys.FromEnvironment ? ExitCodes.Usage : ExitCodes.DataFile, e.Message),
        JobLogException => (ExitCodes.DataFile, NameLogFile(e.Message, logPath)),
        CommandFailedException => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"{e.GetType().Name}: {e.Message}"),
    };

    private static string NameLogFile(string message, string? path) =>
        path is null || message.Contains(path, StringComparison.Ordinal) ? message : $"job log {path}: {message}";

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
