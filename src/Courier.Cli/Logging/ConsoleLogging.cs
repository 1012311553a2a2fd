using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Courier.Cli.Logging;

/// <summary>Log lines on stderr, one per event, for commands that print no live display (<c>serve</c>, <c>kafka dev</c>).</summary>
internal static class ConsoleLogging
{
    public static void Configure(ILoggingBuilder logging, LogLevel level, CliConsole console)
    {
        logging.SetMinimumLevel(level);
        // ASP.NET Core's own Information lines (request starts, hosting environment) are noise for an operator.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            // The console logger judges colour by stdout; the logs go to stderr, which may be a file.
            o.ColorBehavior = console.ErrorIsTerminal ? LoggerColorBehavior.Default : LoggerColorBehavior.Disabled;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static ILoggerFactory CreateFactory(LogLevel level, CliConsole console) =>
        LoggerFactory.Create(logging => Configure(logging, level, console));
}
