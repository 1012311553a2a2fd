using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Courier.Testing;

/// <summary>
/// Keeps what is logged, for assertions and for a failing test's message: every entry at or above the minimum level,
/// from any logger it creates, as a logger factory (<see cref="ILoggerFactory"/>) or a provider of a real one.
/// </summary>
public sealed class LogCapture(LogLevel minimumLevel = LogLevel.Trace) : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly LogLevel _minimumLevel = minimumLevel;

    /// <summary>The entries so far, in order.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries so far, formatted (<c>Warning Category[3] text</c>), in order.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.ToString())];

    /// <summary>Lines of event <paramref name="eventId"/> that contain every one of <paramref name="parts"/>.</summary>
    public IReadOnlyList<string> Matching(int eventId, params string[] parts) =>
        [.. Entries.Where(e => e.EventId == eventId).Select(e => e.ToString()).Where(l => parts.All(p => l.Contains(p, StringComparison.Ordinal)))];

    /// <summary>The last <paramref name="count"/> lines, one per line.</summary>
    public string Tail(int count = 20) => string.Join('\n', Lines.TakeLast(count));

    /// <summary>A logger of category <typeparamref name="T"/>.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(this);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Ignored: this factory only captures.</summary>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue(new LogEntry(logLevel, category, eventId.Id, formatter(state, exception)));
            }
        }
    }

    private sealed class Logger<T>(LogCapture owner) : Logger(owner, typeof(T).FullName ?? typeof(T).Name), ILogger<T>;
}
