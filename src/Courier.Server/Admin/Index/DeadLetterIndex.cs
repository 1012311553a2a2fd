using Courier.Server.Data;
using Microsoft.Data.Sqlite;

namespace Courier.Server.Admin.Index;

/// <summary>
/// The dead-letter index: <c>&lt;data&gt;/dead-letters.db</c> (SQLite, WAL, owner-only), one row per error-topic
/// record with the fields the console filters on, the replays the ledger and this server recorded, and how far each
/// partition of the error topic and the ledger is indexed. Written only by <see cref="DeadLetterIndexer"/> (and by a
/// replay, which marks its dead letters at once); read per request, each operation on its own connection.
/// </summary>
internal sealed class DeadLetterIndex
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "dead-letters.db";

    private const string Columns = "d.partition_no, d.record_offset, d.ts, d.record_key, d.job_type, d.class, d.job_id, d.reason, d.attempts, "
        + "d.origin_topic, d.executor, d.release, d.producer_version, d.dispatcher_version, d.first_attempt_at, d.failed_at, d.replay_of, r.replayed_to";

    private const string Joined = "dead_letters d LEFT JOIN replays r ON r.partition_no = d.partition_no AND r.record_offset = d.record_offset";

    private readonly string _connectionString;

    private DeadLetterIndex(string path, string errorTopic)
    {
        Path = path;
        ErrorTopic = errorTopic;
        _connectionString = DataDatabase.ConnectionString(path);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The error topic indexed.</summary>
    public string ErrorTopic { get; }

    /// <summary>Opens (creating if needed) the index of a data directory's error topic.</summary>
    public static DeadLetterIndex In(CourierDataDirectory data, string errorTopic)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureCreated();
        return Open(System.IO.Path.Combine(data.Root, FileName), errorTopic);
    }

    /// <summary>
    /// Opens (creating if needed) the index in <paramref name="path"/>. An index of another error topic (the
    /// configuration changed) is emptied and rebuilt from the log.
    /// </summary>
    public static DeadLetterIndex Open(string path, string errorTopic)
    {
        var full = System.IO.Path.GetFullPath(path);
        DataDatabase.Prepare(full, "dead-letter index");
        var index = new DeadLetterIndex(full, errorTopic);
        index.Run(connection =>
        {
            Execute(connection, null, IndexSchema.Create);
            using var transaction = connection.BeginTransaction();
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT value FROM meta WHERE key = 'error_topic'";
            if (read.ExecuteScalar() is string indexed && !string.Equals(indexed, errorTopic, StringComparison.Ordinal))
            {
                Execute(connection, transaction, "DELETE FROM dead_letters; DELETE FROM replays; DELETE FROM progress; DELETE FROM counts;");
            }
            using var write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ('error_topic', $topic)";
            write.Parameters.AddWithValue("$topic", errorTopic);
            write.ExecuteNonQuery();
            // Counts kept since this version; an index without them has them rebuilt once.
            using var counted = connection.CreateCommand();
            counted.Transaction = transaction;
            counted.CommandText = "SELECT value FROM meta WHERE key = 'counts'";
            if (counted.ExecuteScalar() is null)
            {
                Execute(connection, transaction, IndexSchema.RebuildCounts + "INSERT INTO meta (key, value) VALUES ('counts', '1');");
            }
            transaction.Commit();
            return 0;
        }, "cannot open the dead-letter index");
        return index;
    }

    /// <summary>The next offset to index per partition of the error topic and the replay ledger.</summary>
    public Dictionary<TopicPartition, long> Progress() => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT topic, partition_no, next_offset FROM progress";
        using var reader = command.ExecuteReader();
        var progress = new Dictionary<TopicPartition, long>();
        while (reader.Read())
        {
            progress[new TopicPartition(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }
        return progress;
    }, "cannot read the dead-letter index");

    /// <summary>
    /// Adds dead letters and replays (ledger entries) and moves the progress on, in one transaction: after a crash the
    /// index resumes where its last batch ended, and a row is never added twice (the position is the key).
    /// </summary>
    public void Write(IReadOnlyList<IndexedRow> rows, IReadOnlyList<IndexedReplay> replays, IReadOnlyDictionary<TopicPartition, long> progress) => Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        if (rows.Count > 0)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = IndexSchema.InsertRow;
            AddCounts(connection, transaction, IndexSchema.Bind(insert, rows), 1);
        }
        if (replays.Count > 0)
        {
            AddReplays(connection, transaction, replays);
        }
        using (var save = connection.CreateCommand())
        {
            save.Transaction = transaction;
            save.CommandText = "INSERT OR REPLACE INTO progress (topic, partition_no, next_offset) VALUES ($topic, $partition, $next)";
            var topic = save.Parameters.Add("$topic", SqliteType.Text);
            var partition = save.Parameters.Add("$partition", SqliteType.Integer);
            var next = save.Parameters.Add("$next", SqliteType.Integer);
            foreach (var (tp, offset) in progress)
            {
                topic.Value = tp.Topic;
                partition.Value = tp.Partition;
                next.Value = offset;
                save.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        return 0;
    }, "cannot write the dead-letter index");

    /// <summary>Records replays (a replay marks its dead letters at once, before the ledger is read back); a replay recorded before wins.</summary>
    public void MarkReplayed(IReadOnlyList<IndexedReplay> replays) => Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        AddReplays(connection, transaction, replays);
        transaction.Commit();
        return 0;
    }, "cannot write the dead-letter index");

    /// <summary>Deletes the rows of a partition below its low watermark (the log's retention removed them). Returns how many.</summary>
    public int Prune(int partition, long lowWatermark) => Run(connection =>
    {
        using var transaction = connection.BeginTransaction();
        using var gone = connection.CreateCommand();
        gone.Transaction = transaction;
        gone.CommandText = """
            SELECT COALESCE(job_type, ''), COALESCE(class, ''), COUNT(*) FROM dead_letters
            WHERE partition_no = $p AND record_offset < $low GROUP BY 1, 2
            """;
        gone.Parameters.AddWithValue("$p", partition);
        gone.Parameters.AddWithValue("$low", lowWatermark);
        var removed = new Dictionary<(string Type, string Class), long>();
        using (var reader = gone.ExecuteReader())
        {
            while (reader.Read())
            {
                removed[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }
        AddCounts(connection, transaction, removed, -1);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM dead_letters WHERE partition_no = $p AND record_offset < $low;
            DELETE FROM replays WHERE partition_no = $p AND record_offset < $low;
            """;
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$low", lowWatermark);
        var deleted = command.ExecuteNonQuery();
        transaction.Commit();
        return deleted;
    }, "cannot prune the dead-letter index");

    /// <summary>
    /// Up to <paramref name="limit"/> matching rows, newest first, strictly after <paramref name="after"/>; or with
    /// <paramref name="oldestFirst"/> the oldest (then <paramref name="after"/> must be null).
    /// </summary>
    public List<IndexedRow> Page(IndexFilter filter, (long TimestampMs, int Partition, long Offset)? after, int limit, bool oldestFirst = false) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        var where = filter.Where(command);
        var order = oldestFirst ? "ASC" : "DESC";
        if (after is { } key)
        {
            where += " AND (d.ts, d.partition_no, d.record_offset) < ($cts, $cp, $co)";
            command.Parameters.AddWithValue("$cts", key.TimestampMs);
            command.Parameters.AddWithValue("$cp", key.Partition);
            command.Parameters.AddWithValue("$co", key.Offset);
        }
        command.CommandText = $"SELECT {Columns} FROM {Joined} WHERE {where} ORDER BY d.ts {order}, d.partition_no {order}, d.record_offset {order} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        return IndexSchema.ReadRows(command);
    }, "cannot read the dead-letter index");

    /// <summary>
    /// How many rows match. By type and class alone it reads the counts table; the replayed ones are counted from the
    /// (small) replays table and the unreplayed ones are the rest; a job id reads its index; only a text search scans.
    /// </summary>
    public long Count(IndexFilter filter) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        if (filter.Unreplayed is { } unreplayed)
        {
            var replayed = Count(filter with { Unreplayed = null, OnlyReplayed = true });
            return unreplayed ? Count(filter with { Unreplayed = null }) - replayed : replayed;
        }
        if (filter is { JobId: null, Text: null or "", OnlyReplayed: false })
        {
            var conditions = new List<string> { "1" };
            if (filter.JobType is not null)
            {
                conditions.Add("job_type = $type");
                command.Parameters.AddWithValue("$type", filter.JobType);
            }
            if (filter.Class is { } c)
            {
                conditions.Add("class = $class");
                command.Parameters.AddWithValue("$class", c.ToWireName());
            }
            command.CommandText = $"SELECT COALESCE(SUM(n), 0) FROM counts WHERE {string.Join(" AND ", conditions)}";
            return (long)command.ExecuteScalar()!;
        }
        var where = filter.Where(command);
        command.CommandText = filter.OnlyReplayed
            // CROSS JOIN keeps the (small) replays table outside: SQLite otherwise may walk every dead letter.
            ? $"SELECT COUNT(*) FROM replays r CROSS JOIN dead_letters d ON d.partition_no = r.partition_no AND d.record_offset = r.record_offset WHERE {where}"
            : $"SELECT COUNT(*) FROM dead_letters d WHERE {where}";
        return (long)command.ExecuteScalar()!;
    }, "cannot count in the dead-letter index");

    private static void AddCounts(SqliteConnection connection, SqliteTransaction transaction, Dictionary<(string Type, string Class), long> counts, int sign)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = IndexSchema.AddCount;
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var failureClass = command.Parameters.Add("$class", SqliteType.Text);
        var n = command.Parameters.Add("$n", SqliteType.Integer);
        foreach (var ((t, c), count) in counts)
        {
            type.Value = t;
            failureClass.Value = c;
            n.Value = sign * count;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>The rows at these positions (those indexed), in the order given.</summary>
    public List<IndexedRow> Find(IEnumerable<(int Partition, long Offset)> positions) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM {Joined} WHERE d.partition_no = $p AND d.record_offset = $o";
        var p = command.Parameters.Add("$p", SqliteType.Integer);
        var o = command.Parameters.Add("$o", SqliteType.Integer);
        var rows = new List<IndexedRow>();
        foreach (var (partition, offset) in positions)
        {
            p.Value = partition;
            o.Value = offset;
            rows.AddRange(IndexSchema.ReadRows(command));
        }
        return rows;
    }, "cannot read the dead-letter index");

    /// <summary>The newest dead letter whose record says it is a failed replay of <paramref name="replayOf"/>.</summary>
    public IndexedRow? FailedReplayOf(string replayOf) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM {Joined} WHERE d.replay_of = $of ORDER BY d.ts DESC LIMIT 1";
        command.Parameters.AddWithValue("$of", replayOf);
        return IndexSchema.ReadRows(command).FirstOrDefault();
    }, "cannot read the dead-letter index");

    private static void AddReplays(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IndexedReplay> replays)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO replays (partition_no, record_offset, replayed_to, replayed_at) VALUES ($p, $o, $to, $at)";
        var p = command.Parameters.Add("$p", SqliteType.Integer);
        var o = command.Parameters.Add("$o", SqliteType.Integer);
        var to = command.Parameters.Add("$to", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        foreach (var replay in replays)
        {
            p.Value = replay.Partition;
            o.Value = replay.Offset;
            to.Value = replay.ReplayedTo;
            at.Value = replay.AtMs is { } ms ? ms : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private T Run<T>(Func<SqliteConnection, T> work, string failure) => DataDatabase.Run(Path, _connectionString, work, failure);
}
