using Courier.Cli.Logging;

namespace Courier.Cli.Settings;

/// <summary>What every command needs: the console, the shutdown token and the global options.</summary>
internal sealed class CliContext(CliConsole console, GlobalOptions globals, CancellationToken shutdown)
{
    public CliConsole Console { get; } = console;

    public CancellationToken Shutdown { get; } = shutdown;

    public GlobalOptions Globals { get; } = globals;

    /// <summary>The job log file the running command opened, so a log error can name it.</summary>
    public string? OpenedLogPath { get; set; }

    /// <summary>The format the running command logs in (<c>--log-format</c>), so that its failure is reported in it too.</summary>
    public LogFormat LogFormat { get; set; }
}
