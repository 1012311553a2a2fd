using System.Security.Cryptography;
using Courier.Server.Data;
using Microsoft.Data.Sqlite;

namespace Courier.Server.Downtimes;

/// <summary>
/// The embedded store of downtimes: a table in <c>&lt;data&gt;/downtimes.db</c> (SQLite, WAL, owner-only like the job
/// log), which the built-in watcher reads and <c>courier downtime</c> writes, possibly from other processes at the same
/// time: every operation opens its own connection and waits for a busy database rather than failing. A cancelled
/// downtime keeps its row, ended at the moment of cancelling; rows that ended over <see cref="Retention"/> ago are
/// deleted when a downtime is added.
/// </summary>
internal sealed class DowntimeStore : IDowntimeReader
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "downtimes.db";

    /// <summary>How long an ended or cancelled downtime stays listed (<c>courier downtime list --all</c>).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private const string Columns = "id, group_id, service, hosts, starts_at, ends_at, comment, created_by, cancelled_at";

    private readonly string _connectionString;
    private readonly TimeProvider _time;

    private DowntimeStore(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        _connectionString = DataDatabase.ConnectionString(path);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the store of a data directory.</summary>
    public static DowntimeStore In(CourierDataDirectory data, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureCreated();
        return Open(System.IO.Path.Combine(data.Root, FileName), time);
    }

    /// <summary>Opens (creating if needed) the store in <paramref name="path"/>. Throws <see cref="DataFileException"/> naming the file.</summary>
    public static DowntimeStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        DataDatabase.Prepare(full, "downtime store");
        var store = new DowntimeStore(full, time ?? TimeProvider.System);
        store.Run(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS downtimes (
                    id TEXT PRIMARY KEY,
                    group_id TEXT NOT NULL,
                    service TEXT NOT NULL,
                    hosts TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL,
                    comment TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    cancelled_at INTEGER);
                CREATE INDEX IF NOT EXISTS downtimes_ends_at ON downtimes(ends_at);
                """;
            return command.ExecuteNonQuery();
        }, "cannot open the downtime store");
        return store;
    }

    /// <summary>A new random id (12 hexadecimal digits), for a downtime or a group.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>Writes a downtime (its request already checked) and deletes rows past <see cref="Retention"/>.</summary>
    public Downtime Add(DowntimeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var downtime = new Downtime
        {
            Id = NewId(),
            GroupId = request.GroupId ?? NewId(),
            Service = request.Service,
            Hosts = request.Hosts,
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Comment = request.Comment,
            CreatedBy = request.CreatedBy,
        };
        Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"""
                INSERT INTO downtimes ({Columns}, created_at)
                VALUES ($id, $group, $service, $hosts, $starts, $ends, $comment, $by, NULL, $now)
                """;
            insert.Parameters.AddWithValue("$id", downtime.Id);
            insert.Parameters.AddWithValue("$group", downtime.GroupId);
            insert.Parameters.AddWithValue("$service", downtime.Service);
            insert.Parameters.AddWithValue("$hosts", downtime.Hosts);
            insert.Parameters.AddWithValue("$starts", downtime.StartsAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$ends", downtime.EndsAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$comment", downtime.Comment);
            insert.Parameters.AddWithValue("$by", downtime.CreatedBy);
            insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
            using var prune = connection.CreateCommand();
            prune.Transaction = transaction;
            prune.CommandText = "DELETE FROM downtimes WHERE ends_at < $before";
            prune.Parameters.AddWithValue("$before", (now - Retention).ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        }, "cannot add the downtime");
        return downtime;
    }

    /// <inheritdoc/>
    public IReadOnlyList<Downtime> Active(DateTimeOffset now) =>
        Query("starts_at <= $now AND ends_at > $now", now, "cannot read the downtimes");

    /// <summary>
    /// The downtimes that have not ended (pending and active), or with <paramref name="includeEnded"/> also those that
    /// ended or were cancelled within <see cref="Retention"/>; by start, then id.
    /// </summary>
    public IReadOnlyList<Downtime> List(bool includeEnded)
    {
        var now = _time.GetUtcNow();
        return includeEnded
            ? Query("ends_at >= $now", now - Retention, "cannot list the downtimes")
            : Query("ends_at > $now AND cancelled_at IS NULL", now, "cannot list the downtimes");
    }

    /// <summary>The downtimes not yet ended (pending or active) whose comment <paramref name="match"/> takes.</summary>
    public IReadOnlyList<Downtime> Matching(CommentMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return [.. List(includeEnded: false).Where(d => match.Matches(d.Comment))];
    }

    /// <summary>
    /// Ends the downtimes <paramref name="ids"/> now (a pending one at its start, so it never takes effect) and marks
    /// them cancelled; rows stay for the record. Returns the ids that were cancelled by this call (not ended before).
    /// </summary>
    public IReadOnlyList<string> Cancel(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return Run(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE downtimes SET cancelled_at = $now, ends_at = MAX(starts_at, MIN(ends_at, $now))
                WHERE id = $id AND cancelled_at IS NULL AND ends_at > $now
                """;
            command.Parameters.AddWithValue("$now", now);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var cancelled = new List<string>();
            foreach (var each in ids)
            {
                id.Value = each;
                if (command.ExecuteNonQuery() == 1)
                {
                    cancelled.Add(each);
                }
            }
            transaction.Commit();
            return cancelled;
        }, "cannot cancel downtimes");
    }

    private List<Downtime> Query(string where, DateTimeOffset now, string failure) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM downtimes WHERE {where} ORDER BY starts_at, id";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var rows = new List<Downtime>();
        while (reader.Read())
        {
            rows.Add(new Downtime
            {
                Id = reader.GetString(0),
                GroupId = reader.GetString(1),
                Service = reader.GetString(2),
                Hosts = reader.GetString(3),
                StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                EndsAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                Comment = reader.GetString(6),
                CreatedBy = reader.GetString(7),
                CancelledAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
            });
        }
        return rows;
    }, failure);

    private T Run<T>(Func<SqliteConnection, T> work, string failure) => DataDatabase.Run(Path, _connectionString, work, failure);
}
