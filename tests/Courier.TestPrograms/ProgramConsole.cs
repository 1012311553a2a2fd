using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Courier.TestPrograms;

/// <summary>
/// How a test program talks to the test that started it: logs, one line each, all on stderr; stdout carries only the
/// lines the parent parses (<c>ready …</c>, metrics, <c>stopped …</c>); the parent stops it by closing its stdin.
/// </summary>
public static class ProgramConsole
{
    /// <summary>Single-line, uncoloured console logs with a time stamp, every level on stderr.</summary>
    public static ILoggingBuilder AddStderrConsole(this ILoggingBuilder logging) => logging
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <summary>Writes <paramref name="line"/> to stdout at once.</summary>
    public static void Say(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>
    /// A source cancelled when stdin closes (the parent's graceful stop) or on Ctrl+C. The caller disposes it.
    /// </summary>
    public static CancellationTokenSource StopOnStdinClose()
    {
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }
            try
            {
                await stop.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The program already ended.
            }
        });
        return stop;
    }

    /// <summary>Completes when <paramref name="token"/> is cancelled.</summary>
    public static Task WhenCancelled(CancellationToken token) =>
        Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
