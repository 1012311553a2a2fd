using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Storage;

/// <summary>
/// One open SQLite connection with Courier's settings and helpers for short write and read transactions. Not
/// thread-safe: each owner (the log's writer, each consumer) has its own and serialises its use.
/// </summary>
internal sealed class LogConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _beginImmediate;
    private readonly SqliteCommand _beginDeferred;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;

    private LogConnection(SqliteConnection connection, string path, TimeSpan busyTimeout)
    {
        _connection = connection;
        Path = path;
        BusyTimeout = busyTimeout;
        _beginImmediate = Prepare("BEGIN IMMEDIATE");
        _beginDeferred = Prepare("BEGIN");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    public string Path { get; }

    /// <summary>The native handle, for the one statement that binds through SQLitePCL directly (see RecordWriter).</summary>
    public SQLitePCL.sqlite3 Handle => _connection.Handle!;

    public TimeSpan BusyTimeout { get; }

    public static LogConnection Open(string path, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Each owner keeps its connection for its lifetime; pooling would only keep files open after Dispose.
            Pooling = false,
            // Microsoft.Data.Sqlite retries BUSY statements on its own until this many seconds have passed; keep it in
            // line with SQLite's busy handler below so one setting bounds the wait.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // SQLite's own busy handler sleeps with a bounded backoff (1 ms growing to 100 ms) while another connection
            // holds the write lock, up to this many milliseconds.
            Execute(connection, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}");
            // WAL + synchronous=NORMAL: a commit is appended to the WAL without an fsync, and the WAL is synced at
            // checkpoints. That is durable against a crash of the process (kill -9), which is the guarantee the job log
            // needs: every committed transaction survives it. A power loss or OS crash may lose the last transactions
            // (never corrupts the file). FULL would fsync every produce and commit and cost an order of magnitude.
            Execute(connection, "PRAGMA synchronous = NORMAL");
            // A burst can grow the WAL file far beyond the checkpoint threshold while readers hold old snapshots; once a
            // checkpoint has caught up, truncate it back to this size instead of keeping the high-water mark on disk.
            Execute(connection, "PRAGMA journal_size_limit = 67108864");
            return new LogConnection(connection, path, busyTimeout);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Creates a prepared command that the owner reuses (statements are compiled once per connection).</summary>
    public SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        // Every statement is a constant in this assembly; no SQL is built from input.
#pragma warning disable CA2100
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    public void Execute(string sql) => Execute(_connection, sql);

    public long ScalarInt64(string sql)
    {
        using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // constant SQL only
        command.CommandText = sql;
#pragma warning restore CA2100
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a BEGIN IMMEDIATE transaction. IMMEDIATE takes the write lock up front, so the
    /// busy handler waits for other writers at BEGIN instead of failing later with a snapshot conflict.
    /// </summary>
    public T Write<T>(Func<T> body)
    {
        _beginImmediate.ExecuteNonQuery();
        return RunAndCommit(body);
    }

    /// <summary>Runs <paramref name="body"/> in a read transaction: one consistent snapshot for several statements.</summary>
    public T Read<T>(Func<T> body)
    {
        _beginDeferred.ExecuteNonQuery();
        return RunAndCommit(body);
    }

    public void Dispose()
    {
        _beginImmediate.Dispose();
        _beginDeferred.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _connection.Dispose();
    }

    /// <summary>Runs <paramref name="action"/>, translating SQLite errors into a <see cref="JobLogException"/> naming the operation.</summary>
    public void Guard(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, operation);
        }
    }

    public JobLogException Translate(SqliteException exception, string operation) =>
        SqliteErrors.Translate(exception, Path, operation, BusyTimeout);

    private T RunAndCommit<T>(Func<T> body)
    {
        try
        {
            var result = body();
            _commit.ExecuteNonQuery();
            return result;
        }
        catch
        {
            TryRollback();
            throw;
        }
    }

    private void TryRollback()
    {
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on its own (some I/O and full-disk errors do); nothing is left to undo.
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // constant SQL only
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
