using Microsoft.Extensions.Logging;

namespace Courier.Cli.Logging;

/// <summary>Sends logs to a <see cref="LogSink"/> instead of the console (used while the live display runs).</summary>
internal sealed class SinkLoggerProvider(LogSink sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new SinkLogger(sink, categoryName);

    public void Dispose() { }

    private sealed class SinkLogger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
