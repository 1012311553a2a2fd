using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Logging;

/// <summary>
/// Where logs go while the live display owns the terminal: appended to a file, and the last few kept for the
/// display to show. Counts warnings and errors so the summary can say how many there were.
/// </summary>
internal sealed class LogSink : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<string> _recent = new();
    private readonly int _keep;
    private readonly StreamWriter? _file;
    private readonly TimeProvider _timeProvider;

    public LogSink(string? filePath, int keep, TimeProvider timeProvider)
    {
        _keep = keep;
        _timeProvider = timeProvider;
        FilePath = filePath;
        if (filePath is not null)
        {
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public string? FilePath { get; }

    public long Warnings { get; private set; }

    public long Errors { get; private set; }

    public void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var shortCategory = category[(category.LastIndexOf('.') + 1)..];
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_timeProvider.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {Level(level)} {shortCategory}: {message}");
        lock (_lock)
        {
            if (level == LogLevel.Warning)
            {
                Warnings++;
            }
            else if (level >= LogLevel.Error)
            {
                Errors++;
            }
            _file?.WriteLine(exception is null ? line : line + Environment.NewLine + exception);
            _recent.Enqueue(line);
            while (_recent.Count > _keep)
            {
                _recent.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Recent()
    {
        lock (_lock)
        {
            return [.. _recent];
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
