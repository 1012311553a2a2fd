using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench;

/// <summary>
/// Counts the times a Wolverine listener was stopped by back pressure, from its <c>ListeningAgent</c>'s log ("Marked
/// listener at … as too busy and stopped receiving"); every other category gets a null logger, so nothing is logged
/// (or formatted) per message.
/// </summary>
internal sealed class ListenerPauseLog : ILoggerProvider, ILogger
{
    private int _pauses;

    /// <summary>Back-pressure stops so far.</summary>
    public int Pauses => Volatile.Read(ref _pauses);

    public ILogger CreateLogger(string categoryName) =>
        categoryName.EndsWith(".ListeningAgent", StringComparison.Ordinal) ? this : NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel) && formatter(state, exception).Contains("too busy", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _pauses);
        }
    }

    public void Dispose()
    {
    }
}
