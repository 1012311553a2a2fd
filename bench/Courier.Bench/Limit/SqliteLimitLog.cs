using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Courier.Bench.Limit;

/// <summary>
/// The fastest durable append and in-order read of Courier's records that the embedded engine's SQLite settings allow,
/// written with Microsoft.Data.Sqlite and the SQLitePCL layer under it, no Courier code on the timed path.
/// </summary>
/// <remarks>
/// The file is created by <see cref="SqliteJobLog.Open(string, SqliteJobLogOptions?)"/> and closed again before anything
/// is timed, so its journal mode (WAL), page size and tables (the <c>records</c> table and its key) are the engine's
/// own, not restated here; <see cref="Settings"/> reads them back. The one setting SQLite does not keep in the file is
/// the connection's <c>synchronous</c> level, which Courier's log connections set to NORMAL (a commit reaches the WAL
/// without an fsync: durable against a crash of the process, as Courier's log is); <see cref="Synchronous"/> is the
/// only place this harness states it. A batch is one <c>BEGIN IMMEDIATE</c> … <c>COMMIT</c> with one prepared insert
/// per record bound by position, as Courier's writer binds; offsets are counted in memory (one writer), where Courier
/// reads and writes each partition's next offset in the transaction so that several processes can append. The read
/// is one range scan of the key per partition in offset order in one read transaction, touching every key, header and
/// value, then one transaction storing each partition's committed offset.
/// </remarks>
internal sealed class SqliteLimitLog : IDisposable
{
    /// <summary>The <c>synchronous</c> level of Courier's log connections (Courier.Sqlite's LogConnection).</summary>
    public const string Synchronous = "NORMAL";

    private const long TopicId = 1;
    private const string Group = "limit";

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _scan;
    private readonly sqlite3_stmt _commitOffset;
    private readonly Dictionary<int, long> _nextOffsets = [];

    private SqliteLimitLog(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle!;
        _insert = Prepare("INSERT INTO records (topic_id, partition, record_offset, ts_ms, key, headers, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _scan = Prepare("SELECT record_offset, key, headers, value FROM records WHERE topic_id = ?1 AND partition = ?2 ORDER BY record_offset");
        _commitOffset = Prepare(
            "INSERT OR REPLACE INTO committed_offsets (group_id, topic, partition, committed_offset, committed_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    }

    /// <summary>Creates the file with Courier's engine, closes it, and opens it again with a plain connection.</summary>
    public static async Task<SqliteLimitLog> CreateAsync(string path)
    {
        await (await Task.Run(() => SqliteJobLog.Open(path))).DisposeAsync();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA synchronous = {Synchronous}";
            pragma.ExecuteNonQuery();
            return new SqliteLimitLog(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The settings as this connection sees them: the file's, as Courier made it, and the connection's.</summary>
    public IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["journal_mode"] = Pragma("journal_mode"),
        ["synchronous"] = Pragma("synchronous") switch { "0" => "OFF", "1" => "NORMAL", "2" => "FULL", "3" => "EXTRA", var s => s },
        ["page_size"] = Pragma("page_size"),
        ["cache_size"] = Pragma("cache_size"),
        ["wal_autocheckpoint"] = Pragma("wal_autocheckpoint"),
        ["sqlite"] = Pragma("sqlite_version()", select: true),
    };

    /// <summary>Appends <paramref name="records"/>[<paramref name="start"/>..+<paramref name="count"/>] in one transaction.</summary>
    public void Append(IReadOnlyList<LimitRecord> records, int start, int count, long nowMs)
    {
        Check(raw.sqlite3_exec(_db, "BEGIN IMMEDIATE"));
        try
        {
            for (var i = start; i < start + count; i++)
            {
                var record = records[i];
                _nextOffsets.TryGetValue(record.Partition, out var offset);
                _nextOffsets[record.Partition] = offset + 1;
                Check(raw.sqlite3_bind_int64(_insert, 1, TopicId));
                Check(raw.sqlite3_bind_int(_insert, 2, record.Partition));
                Check(raw.sqlite3_bind_int64(_insert, 3, offset));
                Check(raw.sqlite3_bind_int64(_insert, 4, nowMs));
                BindBlob(_insert, 5, record.Key);
                BindBlob(_insert, 6, record.Headers);
                BindBlob(_insert, 7, record.Value);
                var result = raw.sqlite3_step(_insert);
                raw.sqlite3_reset(_insert);
                if (result != raw.SQLITE_DONE)
                {
                    Check(result);
                }
            }
            Check(raw.sqlite3_exec(_db, "COMMIT"));
        }
        catch
        {
            raw.sqlite3_exec(_db, "ROLLBACK");
            throw;
        }
    }

    /// <summary>
    /// Reads every partition in offset order, touching each record's bytes, then stores each partition's committed
    /// offset; returns the records read and the bytes touched.
    /// </summary>
    public (long Records, long Bytes) ReadAllAndCommit(long nowMs)
    {
        long records = 0;
        long bytes = 0;
        var ends = new Dictionary<int, long>();
        Check(raw.sqlite3_exec(_db, "BEGIN"));
        try
        {
            foreach (var partition in _nextOffsets.Keys.Order())
            {
                Check(raw.sqlite3_bind_int64(_scan, 1, TopicId));
                Check(raw.sqlite3_bind_int(_scan, 2, partition));
                var expected = 0L;
                int result;
                while ((result = raw.sqlite3_step(_scan)) == raw.SQLITE_ROW)
                {
                    if (raw.sqlite3_column_int64(_scan, 0) != expected++)
                    {
                        throw new InvalidOperationException($"partition {partition}: offsets out of order at {expected - 1}");
                    }
                    bytes += raw.sqlite3_column_blob(_scan, 1).Length + raw.sqlite3_column_blob(_scan, 2).Length
                        + raw.sqlite3_column_blob(_scan, 3).Length;
                    records++;
                }
                raw.sqlite3_reset(_scan);
                if (result != raw.SQLITE_DONE)
                {
                    Check(result);
                }
                ends[partition] = expected;
            }
            Check(raw.sqlite3_exec(_db, "COMMIT"));
        }
        catch
        {
            raw.sqlite3_exec(_db, "ROLLBACK");
            throw;
        }
        Check(raw.sqlite3_exec(_db, "BEGIN IMMEDIATE"));
        foreach (var (partition, end) in ends)
        {
            Check(raw.sqlite3_bind_text(_commitOffset, 1, Group));
            Check(raw.sqlite3_bind_text(_commitOffset, 2, "mediawiki.job." + CourierTarget.JobType));
            Check(raw.sqlite3_bind_int(_commitOffset, 3, partition));
            Check(raw.sqlite3_bind_int64(_commitOffset, 4, end));
            Check(raw.sqlite3_bind_int64(_commitOffset, 5, nowMs));
            var result = raw.sqlite3_step(_commitOffset);
            raw.sqlite3_reset(_commitOffset);
            if (result != raw.SQLITE_DONE)
            {
                Check(result);
            }
        }
        Check(raw.sqlite3_exec(_db, "COMMIT"));
        return (records, bytes);
    }

    public void Dispose()
    {
        _insert.Dispose();
        _scan.Dispose();
        _commitOffset.Dispose();
        _connection.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private string Pragma(string name, bool select = false)
    {
        using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // constant names from this class only
        command.CommandText = select ? $"SELECT {name}" : $"PRAGMA {name}";
#pragma warning restore CA2100
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    private void BindBlob(sqlite3_stmt statement, int index, byte[]? blob) =>
        Check(blob is null ? raw.sqlite3_bind_null(statement, index)
            : blob.Length == 0 ? raw.sqlite3_bind_zeroblob(statement, index, 0)
            : raw.sqlite3_bind_blob(statement, index, blob));

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }
}
