using Microsoft.Extensions.Logging;

namespace Courier.Cli.Logging;

/// <summary>
/// What a long-running command tells its operator on stderr besides its log events (where it listens, how to stop
/// it, that it stopped): plain lines in the text format; log events (<see cref="StatusLog"/>, category
/// <see cref="Category"/>) in the JSON format, so that stderr stays one JSON object per line.
/// </summary>
internal sealed class StatusLines
{
    /// <summary>The log category of status lines in the JSON format.</summary>
    public const string Category = "Courier.Cli.Status";

    private readonly CliConsole _console;
    private readonly ILogger? _events;

    private StatusLines(CliConsole console, ILogger? events)
    {
        _console = console;
        _events = events;
    }

    /// <summary>Status lines in <paramref name="format"/>, logged through <paramref name="loggerFactory"/> when that is JSON.</summary>
    public static StatusLines For(LogFormat format, CliConsole console, ILoggerFactory loggerFactory) =>
        new(console, format == LogFormat.Json ? loggerFactory.CreateLogger(Category) : null);

    public async Task WriteAsync(string line)
    {
        if (_events is null)
        {
            await _console.Error.WriteLineAsync(line);
        }
        else
        {
            StatusLog.Status(_events, line);
        }
    }

    public Task FlushAsync() => _events is null ? _console.Error.FlushAsync() : Task.CompletedTask;
}
