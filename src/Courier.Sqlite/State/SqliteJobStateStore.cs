using System.Globalization;
using Courier.Sqlite.Storage;
using Courier.State;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.State;

/// <summary>
/// The embedded state store: a SQLite file (by default <c>state.db</c> beside the job log) holding expiring keys, for
/// one dispatcher host (processes on one host may share the file). Bounded: expired keys are swept as writes go, and
/// past <see cref="SqliteJobStateStoreOptions.MaxEntries"/> the keys nearest their expiry are dropped first.
/// </summary>
/// <remarks>
/// Each operation is one short transaction on one connection, serialised in the process; BEGIN IMMEDIATE makes the
/// read-modify-write ones atomic across processes too. SQLite errors surface as <see cref="JobStateStoreException"/>.
/// </remarks>
public sealed class SqliteJobStateStore : IJobStateStore
{
    /// <summary>Writes between two sweeps of expired keys.</summary>
    private const int SweepEvery = 1024;

    private readonly LogConnection _connection;
    private readonly SqliteJobStateStoreOptions _options;
    private readonly Lock _gate = new();
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _insertIfAbsent;
    private readonly SqliteCommand _setValue;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteIfValue;
    private readonly SqliteCommand _sweep;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand _trim;
    private int _writes;
    private int _disposed;

    private SqliteJobStateStore(LogConnection connection, SqliteJobStateStoreOptions options)
    {
        _connection = connection;
        _options = options;
        _get = connection.Prepare("SELECT value FROM state WHERE key = $key AND expires > $now", "$key", "$now");
        _upsert = connection.Prepare(
            "INSERT INTO state(key, value, expires) VALUES($key, $value, $expires) " +
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires", "$key", "$value", "$expires");
        _insertIfAbsent = connection.Prepare(
            "INSERT INTO state(key, value, expires) VALUES($key, $value, $expires) " +
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires WHERE state.expires <= $now",
            "$key", "$value", "$expires", "$now");
        _setValue = connection.Prepare("UPDATE state SET value = $value WHERE key = $key", "$key", "$value");
        _delete = connection.Prepare("DELETE FROM state WHERE key = $key AND expires > $now", "$key", "$now");
        _deleteIfValue = connection.Prepare("DELETE FROM state WHERE key = $key AND value = $value AND expires > $now", "$key", "$value", "$now");
        _sweep = connection.Prepare("DELETE FROM state WHERE key IN (SELECT key FROM state WHERE expires <= $now LIMIT 10000)", "$now");
        _count = connection.Prepare("SELECT count(*) FROM state");
        _trim = connection.Prepare("DELETE FROM state WHERE key IN (SELECT key FROM state ORDER BY expires LIMIT $n)", "$n");
    }

    /// <inheritdoc />
    public string Name => "embedded";

    /// <summary>The file the keys are kept in.</summary>
    public string Path => _connection.Path;

    /// <summary>Opens (creating when missing) the store in the SQLite file at <paramref name="path"/>.</summary>
    /// <exception cref="JobStateStoreException">The file cannot be opened or set up.</exception>
    public static SqliteJobStateStore Open(string path, SqliteJobStateStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteJobStateStoreOptions();
        options.Validate();
        LogConnection? connection = null;
        try
        {
            connection = LogConnection.Open(path, options.BusyTimeout);
            connection.Execute("PRAGMA journal_mode = WAL");
            connection.Execute("CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID");
            connection.Execute("CREATE INDEX IF NOT EXISTS state_expires ON state(expires)");
            return new SqliteJobStateStore(connection, options);
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new JobStateStoreException($"cannot open the state store '{path}': {e.Message}", e);
        }
    }

    /// <summary>Keys stored now, expired ones not yet swept included.</summary>
    public long Count() => Run("count", () => (long)_count.ExecuteScalar()!);

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        return ValueTask.FromResult(Write("add", now =>
            Bind(_insertIfAbsent, key, value, now + Millis(ttl), now).ExecuteNonQuery() == 1));
    }

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(Run("get", () => Read(key, Now())));
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        Write("set", now => Bind(_upsert, key, value, now + Millis(ttl)).ExecuteNonQuery());
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(Run("delete", () =>
        {
            var now = Now();
            return (onlyIfValue is null ? Bind(_delete, key, now) : Bind(_deleteIfValue, key, onlyIfValue, now)).ExecuteNonQuery() == 1;
        }));
    }

    /// <inheritdoc />
    public ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        return ValueTask.FromResult(Write("max", now =>
        {
            long? before = Read(key, now) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
            var kept = before is { } b && b > value ? b : value;
            Bind(_upsert, key, kept.ToString(CultureInfo.InvariantCulture), now + Millis(ttl)).ExecuteNonQuery();
            return before;
        }));
    }

    /// <inheritdoc />
    public ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        return ValueTask.FromResult(Write("increment", now =>
        {
            var sum = by;
            if (Read(key, now) is { } text)
            {
                sum += long.Parse(text, CultureInfo.InvariantCulture);
                // An existing key keeps its expiry: only the value changes.
                Bind(_setValue, key, sum.ToString(CultureInfo.InvariantCulture)).ExecuteNonQuery();
            }
            else
            {
                Bind(_upsert, key, sum.ToString(CultureInfo.InvariantCulture), now + Millis(ttl)).ExecuteNonQuery();
            }
            return sum;
        }));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_gate)
            {
                foreach (var command in new[] { _get, _upsert, _insertIfAbsent, _setValue, _delete, _deleteIfValue, _sweep, _count, _trim })
                {
                    command.Dispose();
                }
                _connection.Dispose();
            }
        }
        return ValueTask.CompletedTask;
    }

    private string? Read(string key, long now) => Bind(_get, key, now).ExecuteScalar() as string;

    /// <summary>Runs a write in one IMMEDIATE transaction, then sweeps expired keys and trims past the bound now and then.</summary>
    private T Write<T>(string operation, Func<long, T> body)
    {
        var result = Run(operation, () => _connection.Write(() => body(Now())));
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            Run("sweep", () => _connection.Write(() =>
            {
                Bind(_sweep, Now()).ExecuteNonQuery();
                var over = (long)_count.ExecuteScalar()! - _options.MaxEntries;
                if (over > 0)
                {
                    Bind(_trim, over).ExecuteNonQuery();
                }
                return 0;
            }));
        }
        return result;
    }

    private T Run<T>(string operation, Func<T> body)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            try
            {
                return body();
            }
            catch (SqliteException e)
            {
                throw new JobStateStoreException($"state store '{_connection.Path}': {operation} failed: {e.Message}", e);
            }
        }
    }

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Millis(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);

    private static void CheckKey(string key, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
    }

    private static SqliteCommand Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        return command;
    }
}
