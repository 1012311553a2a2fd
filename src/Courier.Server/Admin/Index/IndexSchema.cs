using Microsoft.Data.Sqlite;

namespace Courier.Server.Admin.Index;

/// <summary>The dead-letter index's tables and indexes, and how rows are written and read.</summary>
internal static class IndexSchema
{
    /// <summary>
    /// Tables and indexes. Each filter has an index that ends in the newest-first sort key, so a page is a range scan
    /// that stops after the page (keyset paging); counts by type or class read only their index.
    /// </summary>
    public const string Create = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS progress (
            topic TEXT NOT NULL, partition_no INTEGER NOT NULL, next_offset INTEGER NOT NULL,
            PRIMARY KEY (topic, partition_no));
        CREATE TABLE IF NOT EXISTS dead_letters (
            partition_no INTEGER NOT NULL,
            record_offset INTEGER NOT NULL,
            ts INTEGER NOT NULL,
            record_key TEXT,
            job_type TEXT,
            class TEXT,
            job_id TEXT,
            reason TEXT,
            attempts INTEGER NOT NULL,
            origin_topic TEXT,
            executor TEXT,
            release TEXT,
            producer_version TEXT,
            dispatcher_version TEXT,
            first_attempt_at INTEGER,
            failed_at INTEGER,
            replay_of TEXT,
            PRIMARY KEY (partition_no, record_offset)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS dead_letters_newest ON dead_letters (ts, partition_no, record_offset);
        CREATE INDEX IF NOT EXISTS dead_letters_type ON dead_letters (job_type, ts, partition_no, record_offset);
        CREATE INDEX IF NOT EXISTS dead_letters_class ON dead_letters (class, ts, partition_no, record_offset);
        CREATE INDEX IF NOT EXISTS dead_letters_type_class ON dead_letters (job_type, class, ts, partition_no, record_offset);
        CREATE INDEX IF NOT EXISTS dead_letters_job ON dead_letters (job_id);
        CREATE INDEX IF NOT EXISTS dead_letters_replay_of ON dead_letters (replay_of) WHERE replay_of IS NOT NULL;
        CREATE TABLE IF NOT EXISTS counts (
            job_type TEXT NOT NULL, class TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY (job_type, class)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS replays (
            partition_no INTEGER NOT NULL,
            record_offset INTEGER NOT NULL,
            replayed_to TEXT NOT NULL,
            replayed_at INTEGER,
            PRIMARY KEY (partition_no, record_offset)) WITHOUT ROWID;
        """;

    /// <summary>Inserts one row; a position indexed before is left as it is.</summary>
    public const string InsertRow = """
        INSERT OR IGNORE INTO dead_letters (partition_no, record_offset, ts, record_key, job_type, class, job_id, reason, attempts,
            origin_topic, executor, release, producer_version, dispatcher_version, first_attempt_at, failed_at, replay_of)
        VALUES ($p, $o, $ts, $key, $type, $class, $job, $reason, $attempts, $origin, $executor, $release, $producer, $dispatcher,
            $first, $failed, $of)
        """;

    /// <summary>Rebuilds the dead letters' counts by type and class from the rows.</summary>
    public const string RebuildCounts = """
        DELETE FROM counts;
        INSERT INTO counts (job_type, class, n)
            SELECT COALESCE(job_type, ''), COALESCE(class, ''), COUNT(*) FROM dead_letters GROUP BY 1, 2;
        """;

    /// <summary>Adds to the count of a type and class (<c>''</c> for none).</summary>
    public const string AddCount = """
        INSERT INTO counts (job_type, class, n) VALUES ($type, $class, $n)
        ON CONFLICT (job_type, class) DO UPDATE SET n = n + excluded.n
        """;

    /// <summary>
    /// Runs <see cref="InsertRow"/> for each row; returns how many were new (not indexed before) by type and class, for
    /// the counts.
    /// </summary>
    public static Dictionary<(string Type, string Class), long> Bind(SqliteCommand insert, IReadOnlyList<IndexedRow> rows)
    {
        string[] names = ["$p", "$o", "$ts", "$key", "$type", "$class", "$job", "$reason", "$attempts", "$origin", "$executor",
            "$release", "$producer", "$dispatcher", "$first", "$failed", "$of"];
        var parameters = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        var added = new Dictionary<(string Type, string Class), long>();
        foreach (var row in rows)
        {
            object?[] values = [row.Partition, row.Offset, row.TimestampMs, row.Key, row.JobType, row.Class, row.JobId, row.Reason,
                row.Attempts, row.OriginTopic, row.Executor, row.Release, row.ProducerVersion, row.DispatcherVersion,
                row.FirstAttemptAtMs, row.FailedAtMs, row.ReplayOf];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
                parameters[i].SqliteType = values[i] is int or long ? SqliteType.Integer : SqliteType.Text;
            }
            if (insert.ExecuteNonQuery() == 1)
            {
                var key = (row.JobType ?? "", row.Class ?? "");
                added[key] = added.GetValueOrDefault(key) + 1;
            }
        }
        return added;
    }

    /// <summary>Reads rows selected with <c>DeadLetterIndex</c>'s columns.</summary>
    public static List<IndexedRow> ReadRows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<IndexedRow>();
        string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        long? L(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
        while (reader.Read())
        {
            rows.Add(new IndexedRow
            {
                Partition = reader.GetInt32(0),
                Offset = reader.GetInt64(1),
                TimestampMs = reader.GetInt64(2),
                Key = S(3),
                JobType = S(4),
                Class = S(5),
                JobId = S(6),
                Reason = S(7),
                Attempts = reader.GetInt32(8),
                OriginTopic = S(9),
                Executor = S(10),
                Release = S(11),
                ProducerVersion = S(12),
                DispatcherVersion = S(13),
                FirstAttemptAtMs = L(14),
                FailedAtMs = L(15),
                ReplayOf = S(16),
                ReplayedTo = S(17),
            });
        }
        return rows;
    }
}
