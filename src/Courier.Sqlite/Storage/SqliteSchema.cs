namespace Courier.Sqlite.Storage;

/// <summary>
/// The file format: tables, and the markers that identify a Courier file (application_id) and its format version
/// (user_version). A file written by a newer Courier with a version this build does not know is refused rather than
/// misread.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Format version stored in PRAGMA user_version.</summary>
    public const int Version = 1;

    /// <summary>"CRLG" in PRAGMA application_id marks the file as Courier's.</summary>
    public const int ApplicationId = 0x43524C47;

    // Records live in a rowid table keyed by (topic, partition, offset): appends go to the end of the table and the
    // key index, and a fetch is one range scan of the index. Group tables are tiny and keyed WITHOUT ROWID.
    // group_members.host/pid/process_start identify the member's process (see ProcessIdentity); their defaults are
    // what a row written before they existed reads as: no host, so only the heartbeat rule applies to it.
    private const string CreateTables = """
        CREATE TABLE topics (
            topic_id    INTEGER PRIMARY KEY,
            name        TEXT    NOT NULL UNIQUE,
            partitions  INTEGER NOT NULL,
            created_ms  INTEGER NOT NULL
        );
        CREATE TABLE partitions (
            topic_id    INTEGER NOT NULL,
            partition   INTEGER NOT NULL,
            next_offset INTEGER NOT NULL,
            PRIMARY KEY (topic_id, partition)
        ) WITHOUT ROWID;
        CREATE TABLE records (
            topic_id      INTEGER NOT NULL,
            partition     INTEGER NOT NULL,
            record_offset INTEGER NOT NULL,
            ts_ms         INTEGER NOT NULL,
            key           BLOB,
            headers       BLOB,
            value         BLOB    NOT NULL,
            PRIMARY KEY (topic_id, partition, record_offset)
        );
        CREATE TABLE consumer_groups (
            group_id    TEXT    NOT NULL PRIMARY KEY,
            generation  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE group_members (
            group_id     TEXT    NOT NULL,
            member_id    TEXT    NOT NULL,
            client_id    TEXT    NOT NULL,
            subscription TEXT    NOT NULL,
            heartbeat_ms  INTEGER NOT NULL,
            joined_ms     INTEGER NOT NULL,
            host          TEXT    NOT NULL DEFAULT '',
            pid           INTEGER NOT NULL DEFAULT 0,
            process_start INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (group_id, member_id)
        ) WITHOUT ROWID;
        CREATE TABLE partition_owners (
            group_id   TEXT    NOT NULL,
            topic      TEXT    NOT NULL,
            partition  INTEGER NOT NULL,
            member_id  TEXT    NOT NULL,
            since_ms   INTEGER NOT NULL,
            PRIMARY KEY (group_id, topic, partition)
        ) WITHOUT ROWID;
        CREATE TABLE committed_offsets (
            group_id         TEXT    NOT NULL,
            topic            TEXT    NOT NULL,
            partition        INTEGER NOT NULL,
            committed_offset INTEGER NOT NULL,
            committed_ms     INTEGER NOT NULL,
            PRIMARY KEY (group_id, topic, partition)
        ) WITHOUT ROWID;
        """;

    // Columns added to format version 1 before its first release. A file created by an earlier development build gets
    // them, with their defaults, when it is opened; ADD COLUMN only rewrites the schema, not the rows.
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("group_members", "host", "TEXT NOT NULL DEFAULT ''"),
        ("group_members", "pid", "INTEGER NOT NULL DEFAULT 0"),
        ("group_members", "process_start", "INTEGER NOT NULL DEFAULT 0"),
    ];

    /// <summary>Checks that the file is a Courier file of a known version, creating the tables in an empty file.</summary>
    public static void Ensure(LogConnection connection)
    {
        // The journal mode is stored in the file; switching needs no transaction and is a no-op once it is WAL. This is
        // also the first statement to read the file, so a file that is not SQLite at all fails here (SQLITE_NOTADB).
        connection.Execute("PRAGMA journal_mode = WAL");
        if (Check(connection))
        {
            AddMissingColumns(connection);
            return;
        }
        // Two processes may open a new file at once: decide again under the write lock.
        connection.Write(() =>
        {
            if (Check(connection))
            {
                return 0;
            }
            if (connection.ScalarInt64("SELECT count(*) FROM sqlite_schema") != 0)
            {
                throw new JobLogException(SqliteErrors.NotCourierFile(
                    connection.Path, "it is a SQLite database with other tables (no Courier application id)"));
            }
            connection.Execute(CreateTables);
            connection.Execute($"PRAGMA application_id = {ApplicationId}");
            connection.Execute($"PRAGMA user_version = {Version}");
            return 0;
        });
        // When another process created the file first, it may have been an earlier build that wrote the older shape.
        AddMissingColumns(connection);
    }

    private static void AddMissingColumns(LogConnection connection)
    {
        if (MissingColumns(connection).Count == 0)
        {
            return;
        }
        connection.Write(() =>
        {
            // Decide again under the write lock: another process may be adding them at the same time.
            foreach (var (table, column, definition) in MissingColumns(connection))
            {
                connection.Execute($"ALTER TABLE {table} ADD COLUMN {column} {definition}");
            }
            return 0;
        });
    }

    private static List<(string Table, string Column, string Definition)> MissingColumns(LogConnection connection) =>
        AddedColumns
            .Where(c => connection.ScalarInt64(
                $"SELECT count(*) FROM pragma_table_info('{c.Table}') WHERE name = '{c.Column}'") == 0)
            .ToList();

    /// <summary>True when the file already holds the current format; throws when it holds something else.</summary>
    private static bool Check(LogConnection connection)
    {
        var applicationId = connection.ScalarInt64("PRAGMA application_id");
        var version = connection.ScalarInt64("PRAGMA user_version");
        if (applicationId != 0 && applicationId != ApplicationId)
        {
            throw new JobLogException(SqliteErrors.NotCourierFile(
                connection.Path, $"it is a SQLite database of another application (application id 0x{applicationId:X8})"));
        }
        if (applicationId == ApplicationId && version > Version)
        {
            throw new JobLogException(
                $"{connection.Path} was written by a newer Courier (data format version {version}; this build reads up to " +
                $"{Version}). Upgrade Courier to open it.");
        }
        if (applicationId == ApplicationId && version < Version)
        {
            // Version 1 is the first format; a lower version with our id means a half-created file.
            throw new JobLogException(SqliteErrors.NotCourierFile(connection.Path, $"unknown data format version {version}"));
        }
        return applicationId == ApplicationId;
    }
}
