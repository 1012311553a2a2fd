using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Courier.Cli.Logging;

/// <summary>
/// Log lines on stderr, one per event, for commands that print no live display (<c>serve</c>, <c>runner</c>,
/// <c>kafka dev</c>): single-line text, or one JSON object per line (<see cref="LogFormat.Json"/>).
/// </summary>
internal static class ConsoleLogging
{
    private const string UtcTimestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static void Configure(ILoggingBuilder logging, LogLevel level, CliConsole console, LogFormat format)
    {
        logging.SetMinimumLevel(level);
        // ASP.NET Core's own Information lines (request starts, hosting environment) are noise for an operator.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // The command's own status lines (where it listens, that it stopped) are events in the JSON format.
        logging.AddFilter(StatusLines.Category, LogLevel.Information);
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = UtcTimestamp;
                o.IncludeScopes = true;
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = UtcTimestamp + " ";
                o.UseUtcTimestamp = true;
                // The console logger judges colour by stdout; the logs go to stderr, which may be a file.
                o.ColorBehavior = console.ErrorIsTerminal ? LoggerColorBehavior.Default : LoggerColorBehavior.Disabled;
            });
        }
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static ILoggerFactory CreateFactory(LogLevel level, CliConsole console, LogFormat format) =>
        LoggerFactory.Create(logging => Configure(logging, level, console, format));
}
