using System.Globalization;
using Courier.Batching;
using Microsoft.Data.Sqlite;

namespace Courier.TestPrograms;

/// <summary>
/// A SQLite file with one table of rows, written by one test program process alone (each process has a file of its
/// own, so processes never contend for a lock) and read by the test from outside. Rows are group-committed: one writer
/// drains whatever is waiting into a single transaction, then completes every waiting write.
/// </summary>
/// <remarks>
/// WAL with <c>synchronous=NORMAL</c>: a committed row survives the process being killed (SIGKILL), which is what the
/// tests do; only a power loss could take the last commits.
/// </remarks>
public sealed class RowFile<T> : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly SqliteConnection _writer;
    private readonly RowTable<T> _table;
    private readonly GroupCommitQueue<Pending> _queue;

    private RowFile(SqliteConnection writer, RowTable<T> table)
    {
        _writer = writer;
        _table = table;
        _queue = new GroupCommitQueue<Pending>(MaxBatch, Write);
    }

    /// <summary>Opens (creating if needed) the file at <paramref name="path"/> with <paramref name="table"/> in it.</summary>
    internal static RowFile<T> Open(string path, RowTable<T> table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(table);
        var connection = new SqliteConnection(ConnectionString(path, readOnly: false));
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS {table.Name} ({string.Join(", ", table.Columns)});
                """;
            command.ExecuteNonQuery();
        }
        return new RowFile<T>(connection, table);
    }

    /// <summary>Queues <paramref name="row"/>; the task completes when it is committed.</summary>
    public Task AddAsync(T row)
    {
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(new Pending(row), out var written), this);
        return written;
    }

    /// <summary>Every row of <paramref name="table"/> at <paramref name="path"/> in the order written; none while the file or its table does not exist yet.</summary>
    internal static async Task<IReadOnlyList<T>> ReadAllAsync(string path, RowTable<T> table, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        if (!File.Exists(path))
        {
            return rows;
        }
        await using var connection = new SqliteConnection(ConnectionString(path, readOnly: true));
        await connection.OpenAsync(cancellationToken);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            exists.Parameters.AddWithValue("$name", table.Name);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return rows;
            }
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", table.ColumnNames)} FROM {table.Name} ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(table.Read(reader));
        }
        return rows;
    }

    /// <summary>Writes what is queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _writer.DisposeAsync();
    }

    private void Write(IReadOnlyList<Pending> batch)
    {
        using var transaction = _writer.BeginTransaction();
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        var names = _table.ColumnNames;
        var placeholders = names.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        command.CommandText = $"INSERT INTO {_table.Name} ({string.Join(", ", names)}) VALUES ({string.Join(", ", placeholders)})";
        // No declared type: each value is bound with its own (text stays text, integers stay integers).
        var parameters = placeholders.Select(p => command.Parameters.AddWithValue(p, DBNull.Value)).ToArray();
        foreach (var pending in batch)
        {
            var values = _table.Values(pending.Row);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    // No pooling: a pooled handle would keep the file open after dispose, and the test reads it from another process.
    private static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private sealed class Pending(T row)
    {
        public T Row { get; } = row;
    }
}
