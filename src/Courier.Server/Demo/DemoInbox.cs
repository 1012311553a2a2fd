using Courier.Batching;
using Courier.Server.Data;
using Microsoft.Data.Sqlite;

namespace Courier.Server.Demo;

/// <summary>
/// The demo's durable inbox: a table in <c>&lt;data&gt;/demo.db</c> (SQLite, WAL) with one row per delivery.
/// Concurrent deliveries are group-committed: one writer drains whatever is waiting into a single transaction
/// (fsynced, <c>synchronous=FULL</c>), then completes every waiting delivery. Rows are never deduplicated: a job
/// that was in flight when the process died is delivered again, and the duplicate is visible.
/// </summary>
internal sealed class DemoInbox : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqliteConnection _writer;
    private readonly TimeProvider _timeProvider;
    private readonly GroupCommitQueue<PendingDelivery> _queue;

    private DemoInbox(string path, SqliteConnection writer, TimeProvider timeProvider)
    {
        Path = path;
        _writer = writer;
        _timeProvider = timeProvider;
        _queue = new GroupCommitQueue<PendingDelivery>(MaxBatch, WriteBatch, e => new DataFileException(Path, $"inbox write failed: {e.Message}", e));
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the inbox database. Throws <see cref="DataFileException"/> naming the file.</summary>
    public static DemoInbox Open(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        DataDatabase.Prepare(full, "demo inbox");
        var connection = new SqliteConnection(DataDatabase.ConnectionString(full));
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS inbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    job_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    title TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    delivered_at TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS inbox_job_id ON inbox(job_id);
                """);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw DataDatabase.Failure(full, "cannot open the demo inbox", e);
        }
        return new DemoInbox(full, connection, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Writes one delivery; completes when it is durable.</summary>
    public async ValueTask DeliverAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = new PendingDelivery(message, _timeProvider.GetUtcNow());
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(pending, out var written), this);
        // If the caller gives up (timeout, shutdown), the row may still be written: at-least-once, as documented.
        await written.WaitAsync(cancellationToken);
    }

    /// <summary>Rows in the inbox (duplicates included).</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT COUNT(*) FROM inbox", cancellationToken);

    /// <summary>Distinct jobs that delivered at least once.</summary>
    public Task<long> CountDistinctJobsAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT COUNT(DISTINCT job_id) FROM inbox", cancellationToken);

    /// <summary>Reads every row, oldest first (for tests and small inboxes).</summary>
    public async Task<IReadOnlyList<InboxMessage>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(DataDatabase.ConnectionString(Path));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, recipient, title, subject, body FROM inbox ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<InboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new InboxMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        return rows;
    }

    /// <summary>Writes what is queued, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        await _writer.DisposeAsync();
    }

    private void WriteBatch(IReadOnlyList<PendingDelivery> batch)
    {
        using var transaction = _writer.BeginTransaction();
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO inbox (job_id, recipient, title, subject, body, delivered_at)
            VALUES ($job, $recipient, $title, $subject, $body, $at)
            """;
        var job = command.Parameters.Add("$job", SqliteType.Text);
        var recipient = command.Parameters.Add("$recipient", SqliteType.Text);
        var title = command.Parameters.Add("$title", SqliteType.Text);
        var subject = command.Parameters.Add("$subject", SqliteType.Text);
        var body = command.Parameters.Add("$body", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Text);
        foreach (var pending in batch)
        {
            var m = pending.Message;
            job.Value = m.JobId;
            recipient.Value = m.Recipient;
            title.Value = m.Title;
            subject.Value = m.Subject;
            body.Value = m.Body;
            at.Value = pending.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(DataDatabase.ConnectionString(Path));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class PendingDelivery(InboxMessage message, DateTimeOffset at)
    {
        public InboxMessage Message { get; } = message;
        public DateTimeOffset At { get; } = at;
    }
}
