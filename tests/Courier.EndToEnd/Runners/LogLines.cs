using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Courier.EndToEnd.Runners;

/// <summary>
/// Collects what a dispatcher logs, one formatted line per entry (<c>Warning [3] Job … failed …</c>), so a test can
/// check that each failure was logged with its reason and show the last lines when it fails.
/// </summary>
internal sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Lines of event <paramref name="eventId"/> that contain every one of <paramref name="parts"/>.</summary>
    public IReadOnlyList<string> Matching(int eventId, params string[] parts) =>
        Lines.Where(l => l.Contains($"[{eventId}] ", StringComparison.Ordinal) && parts.All(p => l.Contains(p, StringComparison.Ordinal))).ToList();

    public string Tail(int count = 20) => string.Join('\n', Lines.Skip(Math.Max(0, _lines.Count - count)));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._lines.Enqueue($"{logLevel} [{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}
