using System.Runtime.ExceptionServices;
using Courier.Batching;
using Courier.Sqlite.Storage;
using Courier.State;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.State;

/// <summary>
/// The embedded state store: a SQLite file (by default <c>state.db</c> beside the job log) holding expiring keys, for
/// one dispatcher host (processes on one host may share the file). Bounded: expired keys are swept as writes go, and
/// past <see cref="SqliteJobStateStoreOptions.MaxEntries"/> the keys nearest their expiry are dropped first, among
/// those that live more than an hour longer (a live claim is never dropped).
/// </summary>
/// <remarks>
/// Group commit: calls from any thread are queued (<see cref="GroupCommitQueue{T}"/>) and one writer applies whatever
/// is waiting, in queue order, in ONE BEGIN IMMEDIATE transaction per batch, each call's result computed inside it;
/// callers await their result once the batch has committed. Per key the calls therefore take effect one after the
/// other exactly as with a transaction each (set-if-absent has one winner), and BEGIN IMMEDIATE keeps them atomic
/// across processes sharing the file. A batch that cannot be written (the file locked past the busy timeout, read-only,
/// full) fails every call in it with <see cref="JobStateStoreException"/>; none of it is applied. Reads do not queue:
/// they use a second connection, which in WAL mode sees the last commit without waiting for the writer (a caller's
/// read after its own write has returned sees that write).
/// </remarks>
public sealed class SqliteJobStateStore : IJobStateStore
{
    /// <summary>Writes between two sweeps of expired keys.</summary>
    private const int SweepEvery = 1024;

    /// <summary>Keys dropped to keep the bound so far (under <c>_gate</c>).</summary>
    private long _trimmed;

    /// <summary>
    /// Keys dropped to keep <see cref="SqliteJobStateStoreOptions.MaxEntries"/> since the store was opened: remembered
    /// outcomes, oldest first (never a live claim, rate window or recurring tick).
    /// </summary>
    public long DroppedKeys
    {
        get
        {
            lock (_gate)
            {
                return _trimmed;
            }
        }
    }

    /// <summary>Most calls applied in one transaction.</summary>
    private const int MaxBatch = 512;

    private readonly LogConnection _connection;
    private readonly LogConnection _readConnection;
    private readonly StateStatements _reader;
    private readonly Lock _readGate = new();
    private readonly SqliteJobStateStoreOptions _options;
    private readonly StateStatements _statements;
    private readonly GroupCommitQueue<StateOperation> _queue;
    private readonly Lock _gate = new();
    private long _writes;
    private int _disposed;

    private SqliteJobStateStore(LogConnection connection, LogConnection readConnection, SqliteJobStateStoreOptions options)
    {
        _connection = connection;
        _readConnection = readConnection;
        _reader = new StateStatements(readConnection);
        _options = options;
        _statements = new StateStatements(connection);
        _queue = new GroupCommitQueue<StateOperation>(MaxBatch, ApplyBatch);
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
        LogConnection? readConnection = null;
        try
        {
            connection = LogConnection.Open(path, options.BusyTimeout);
            connection.Execute("PRAGMA journal_mode = WAL");
            // 64 MiB of page cache for the writer (SQLite's default is 2 MiB): some 400,000 keys with their expiry index
            // stay in memory, so a batch's random keys and the sweep's count seldom read pages back from the file.
            connection.Execute("PRAGMA cache_size = -65536");
            connection.Execute("CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID");
            connection.Execute("CREATE INDEX IF NOT EXISTS state_expires ON state(expires)");
            // Reads take their own connection: in WAL mode they see the last commit without waiting for the writer.
            readConnection = LogConnection.Open(path, options.BusyTimeout);
            return new SqliteJobStateStore(connection, readConnection, options);
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            readConnection?.Dispose();
            throw new JobStateStoreException($"cannot open the state store '{path}': {e.Message}", e);
        }
    }

    /// <summary>Keys stored now, expired ones not yet swept included.</summary>
    public long Count()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            try
            {
                return _statements.Count();
            }
            catch (SqliteException e)
            {
                throw Failure("count", e);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        return (await RunAsync(new StateOperation(StateOperationKind.Add, key, value, ttlMillis: Millis(ttl))).ConfigureAwait(false)).Done;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            try
            {
                return ValueTask.FromResult(_reader.Read(key, Now()));
            }
            catch (SqliteException e)
            {
                throw Failure("get", e);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        await RunAsync(new StateOperation(StateOperationKind.Set, key, value, ttlMillis: Millis(ttl))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return (await RunAsync(new StateOperation(StateOperationKind.Delete, key, onlyIfValue)).ConfigureAwait(false)).Done;
    }

    /// <inheritdoc />
    public async ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        return (await RunAsync(new StateOperation(StateOperationKind.Max, key, number: value, ttlMillis: Millis(ttl))).ConfigureAwait(false)).Result;
    }

    /// <inheritdoc />
    public async ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        return (await RunAsync(new StateOperation(StateOperationKind.Increment, key, number: by, ttlMillis: Millis(ttl))).ConfigureAwait(false)).Result!.Value;
    }

    /// <summary>Applies what is queued, then closes the file. Calls made after it throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _queue.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _statements.Dispose();
                _connection.Dispose();
            }
            lock (_readGate)
            {
                _reader.Dispose();
                _readConnection.Dispose();
            }
        }
    }

    /// <summary>
    /// Applies <paramref name="batch"/> in order in one IMMEDIATE transaction, sweeping expired keys (and trimming past
    /// the bound) in it whenever the writes cross a multiple of <see cref="SweepEvery"/>. The writer's step; tests call
    /// it directly to make a batch of their choosing.
    /// </summary>
    internal void ApplyBatch(IReadOnlyList<StateOperation> batch)
    {
        lock (_gate)
        {
            _connection.Write(() =>
            {
                var now = Now();
                foreach (var operation in batch)
                {
                    try
                    {
                        _statements.Apply(operation, now);
                    }
                    catch (Exception e) when (e is not SqliteException)
                    {
                        // Its own fault (a stored value that is not a number), not the batch's: nothing of it was written.
                        operation.Error = e;
                    }
                }
                if ((_writes + batch.Count) / SweepEvery > _writes / SweepEvery)
                {
                    _trimmed += _statements.Sweep(now, _options.MaxEntries);
                }
                return 0;
            });
            _writes += batch.Count;
        }
    }

    /// <summary>Queues <paramref name="operation"/> and waits for the batch it lands in.</summary>
    private async ValueTask<StateOperation> RunAsync(StateOperation operation)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(operation, out var written), this);
        try
        {
            await written.ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Failure(operation.Name, e);
        }
        if (operation.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        return operation;
    }

    private JobStateStoreException Failure(string operation, SqliteException e) =>
        new($"state store '{_connection.Path}': {operation} failed: {e.Message}", e);

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Millis(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);

    private static void CheckKey(string key, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
    }
}
