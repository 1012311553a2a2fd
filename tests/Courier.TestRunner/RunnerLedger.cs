using System.Globalization;
using Courier.Batching;
using Microsoft.Data.Sqlite;

namespace Courier.TestRunner;

/// <summary>
/// A SQLite file with one row per thing a runner process did with a job (started, succeeded, failed, …), written by
/// that process alone and read by the test from outside. Rows are group-committed: one writer drains whatever is
/// waiting into a single transaction, then completes every waiting write.
/// </summary>
/// <remarks>
/// WAL with <c>synchronous=NORMAL</c>: a committed row survives the process being killed (SIGKILL), which is what
/// the tests do. A handler awaits its "started" row before working and its "succeeded" row before answering, so the
/// ledger is the ground truth of what ran where, even across kill -9.
/// </remarks>
public sealed class RunnerLedger : IAsyncDisposable
{
    /// <summary>The handler was entered.</summary>
    public const string Started = "started";

    /// <summary>The handler is about to answer success (the row is written first).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The handler failed (thrown or returned a failure).</summary>
    public const string Failed = "failed";

    /// <summary>The handler's token was cancelled (execution limit, or the dispatcher hung up).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The request was held back before the endpoint (<see cref="RunnerJobParams.StallMilliseconds"/>).</summary>
    public const string Stalled = "stalled";

    private const int MaxBatch = 256;

    private readonly SqliteConnection _writer;
    private readonly string _runner;
    private readonly GroupCommitQueue<Pending> _queue;

    private RunnerLedger(SqliteConnection writer, string runner)
    {
        _writer = writer;
        _runner = runner;
        _queue = new GroupCommitQueue<Pending>(MaxBatch, Write);
    }

    /// <summary>Opens (creating if needed) the ledger at <paramref name="path"/> for the runner named <paramref name="runner"/>.</summary>
    public static RunnerLedger Open(string path, string runner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(runner);
        var connection = new SqliteConnection(ConnectionString(path, readOnly: false));
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS ledger (
                    job_id TEXT NOT NULL,
                    runner TEXT NOT NULL,
                    attempt INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    detail TEXT NULL);
                """;
            command.ExecuteNonQuery();
        }
        return new RunnerLedger(connection, runner);
    }

    /// <summary>Records one row; completes when it is committed.</summary>
    public async ValueTask RecordAsync(string jobId, int attempt, string what, string? detail = null)
    {
        var pending = new Pending(new LedgerEntry(jobId, _runner, attempt, what, detail));
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(pending, out var written), this);
        // Never cancelled: a row that was asked for is written, or the process dies first.
        await written;
    }

    /// <summary>Every row of the ledger at <paramref name="path"/> in the order written; none while it does not exist yet.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        var rows = new List<LedgerEntry>();
        if (!File.Exists(path))
        {
            return rows;
        }
        await using var connection = new SqliteConnection(ConnectionString(path, readOnly: true));
        await connection.OpenAsync(cancellationToken);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return rows;
            }
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, runner, attempt, event, detail FROM ledger ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LedgerEntry(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
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
        command.CommandText = "INSERT INTO ledger (job_id, runner, attempt, event, detail) VALUES ($job, $runner, $attempt, $event, $detail)";
        var job = command.Parameters.Add("$job", SqliteType.Text);
        command.Parameters.AddWithValue("$runner", _runner);
        var attempt = command.Parameters.Add("$attempt", SqliteType.Integer);
        var what = command.Parameters.Add("$event", SqliteType.Text);
        var detail = command.Parameters.Add("$detail", SqliteType.Text);
        foreach (var pending in batch)
        {
            job.Value = pending.Entry.JobId;
            attempt.Value = pending.Entry.Attempt;
            what.Value = pending.Entry.Event;
            detail.Value = (object?)pending.Entry.Detail ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    // No pooling: a pooled handle would keep the file open after dispose, and the test polls it from another process.
    private static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private sealed class Pending(LedgerEntry entry)
    {
        public LedgerEntry Entry { get; } = entry;
    }
}
