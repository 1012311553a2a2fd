using Courier.Files;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Storage;

/// <summary>Turns SQLite's result codes into <see cref="JobLogException"/>s that say what is wrong with which file.</summary>
internal static class SqliteErrors
{
    // SQLite primary result codes (https://www.sqlite.org/rescode.html).
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Auth = 23;
    private const int NotADb = 26;

    public static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is Busy or Locked;

    public static JobLogException Translate(SqliteException exception, string path, string operation, TimeSpan busyTimeout) =>
        exception.SqliteErrorCode switch
        {
            NotADb or Corrupt => new JobLogException(NotCourierFile(path, exception.Message), exception),
            Busy or Locked => new JobLogException(
                $"{path} stayed locked by another connection for longer than the busy timeout ({busyTimeout.TotalSeconds:0.###} s) " +
                $"during {operation}; another process holds a long write transaction. ({exception.Message})",
                exception),
            ReadOnly or Perm or Auth => new JobLogException(
                $"cannot write {path} during {operation}: permission denied or read-only file system " +
                $"(the file and its directory must be writable). ({exception.Message})",
                exception),
            CantOpen => new JobLogException(
                $"cannot open {path}: the file or its directory is missing or not accessible. ({exception.Message})",
                exception),
            Full => new JobLogException($"disk full while writing {path} during {operation}. ({exception.Message})", exception),
            IoErr => new JobLogException($"I/O error on {path} during {operation}{FreeSpace.NoteIfFull(path)}. ({exception.Message})", exception),
            _ => new JobLogException($"SQLite error on {path} during {operation}: {exception.Message}", exception),
        };

    public static string NotCourierFile(string path, string reason) => $"{path} is not a Courier data file: {reason}";
}
