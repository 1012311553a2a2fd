using System.Globalization;
using Courier.Batching;
using Microsoft.Data.Sqlite;

namespace Courier.TestDispatcher;

/// <summary>
/// A SQLite file with one row per successful delivery, written by one dispatcher process (each process has a file of
/// its own, so processes never contend for a lock). Deliveries are group-committed: one writer drains whatever is
/// waiting into a single transaction and then completes every waiting delivery.
/// </summary>
/// <remarks>
/// WAL with <c>synchronous=NORMAL</c>: a committed row survives the process being killed (SIGKILL), which is what the
/// tests do; only a power loss could take the last commits.
/// </remarks>
public sealed class DeliveryInbox : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly SqliteConnection _writer;
    private readonly string _member;
    private readonly TimeProvider _time;
    private readonly GroupCommitQueue<Pending> _queue;

    private DeliveryInbox(SqliteConnection writer, string member, TimeProvider time)
    {
        _writer = writer;
        _member = member;
        _time = time;
        _queue = new GroupCommitQueue<Pending>(MaxBatch, Write);
    }

    /// <summary>Opens (creating if needed) the inbox at <paramref name="path"/> for the dispatcher named <paramref name="member"/>.</summary>
    public static DeliveryInbox Open(string path, string member, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        ArgumentNullException.ThrowIfNull(time);
        var connection = new SqliteConnection(ConnectionString(path, readOnly: false));
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS inbox (
                    job_id TEXT NOT NULL,
                    member TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    at_ms INTEGER NOT NULL);
                """;
            command.ExecuteNonQuery();
        }
        return new DeliveryInbox(connection, member, time);
    }

    /// <summary>Records one delivery; completes when the row is committed.</summary>
    public async ValueTask DeliverAsync(string jobId, TopicPartitionOffset source, int attempt, CancellationToken cancellationToken)
    {
        var pending = new Pending(jobId, source, attempt, _time.GetUtcNow().ToUnixTimeMilliseconds());
        ObjectDisposedException.ThrowIf(!_queue.TryAdd(pending, out var written), this);
        // A caller that gives up (shutdown) may still see its row written: that is a delivery, as in any inbox.
        await written.WaitAsync(cancellationToken);
    }

    /// <summary>Every row of the inbox at <paramref name="path"/>; none while the file or its table does not exist yet.</summary>
    public static async Task<IReadOnlyList<InboxDelivery>> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
        var rows = new List<InboxDelivery>();
        if (!File.Exists(path))
        {
            return rows;
        }
        await using var connection = new SqliteConnection(ConnectionString(path, readOnly: true));
        await connection.OpenAsync(cancellationToken);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbox'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                return rows;
            }
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, member, topic, partition, offset, attempt, at_ms FROM inbox ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new InboxDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6)));
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
        command.CommandText = """
            INSERT INTO inbox (job_id, member, topic, partition, offset, attempt, at_ms)
            VALUES ($job, $member, $topic, $partition, $offset, $attempt, $at)
            """;
        var job = command.Parameters.Add("$job", SqliteType.Text);
        command.Parameters.AddWithValue("$member", _member);
        var topic = command.Parameters.Add("$topic", SqliteType.Text);
        var partition = command.Parameters.Add("$partition", SqliteType.Integer);
        var offset = command.Parameters.Add("$offset", SqliteType.Integer);
        var attempt = command.Parameters.Add("$attempt", SqliteType.Integer);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        foreach (var pending in batch)
        {
            job.Value = pending.JobId;
            topic.Value = pending.Source.Topic;
            partition.Value = pending.Source.Partition;
            offset.Value = pending.Source.Offset;
            attempt.Value = pending.Attempt;
            at.Value = pending.AtUnixMs;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    // No pooling: a pooled handle would keep the file open after dispose, and readers poll it from another process.
    private static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private sealed class Pending(string jobId, TopicPartitionOffset source, int attempt, long atUnixMs)
    {
        public string JobId { get; } = jobId;
        public TopicPartitionOffset Source { get; } = source;
        public int Attempt { get; } = attempt;
        public long AtUnixMs { get; } = atUnixMs;
    }
}
