using Courier.Files;
using Microsoft.Data.Sqlite;

namespace Courier.Server.Data;

/// <summary>
/// What the data directory's own SQLite files (the demo inbox, the downtime store, the dead-letter index) share: created owner-only before
/// SQLite opens them, and opened without connection pooling.
/// </summary>
internal static class DataDatabase
{
    /// <summary>
    /// Owner-only (0600, its WAL and shared-memory files too), like the job log: creates the file and its directories.
    /// Throws <see cref="DataFileException"/> naming the file and <paramref name="what"/> it is.
    /// </summary>
    public static void Prepare(string fullPath, string what)
    {
        try
        {
            PrivateFiles.PrepareDatabase(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(fullPath, $"cannot create the {what}", e);
        }
    }

    /// <summary>
    /// The connection string of <paramref name="fullPath"/>. No pooling: a pooled connection would keep the file open
    /// after Dispose, which surprises tests and tools.
    /// </summary>
    public static string ConnectionString(string fullPath) =>
        new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false, DefaultTimeout = 30 }.ToString();

    /// <summary>
    /// Runs <paramref name="work"/> on a new connection to <paramref name="fullPath"/> that waits for another process's
    /// write rather than failing; a SQLite error becomes <see cref="DataFileException"/> naming the file and
    /// <paramref name="failure"/>.
    /// </summary>
    public static T Run<T>(string fullPath, string connectionString, Func<SqliteConnection, T> work, string failure)
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // Another process writing: wait for it rather than fail (the default timeout above covers commands).
                pragma.CommandText = "PRAGMA busy_timeout=5000;";
                pragma.ExecuteNonQuery();
            }
            return work(connection);
        }
        catch (SqliteException e)
        {
            throw Failure(fullPath, failure, e);
        }
    }

    /// <summary>
    /// The error for a data file that could not be created, opened or written: the file, what failed, the cause, and,
    /// when the disk is full, that (SQLite may say only "disk I/O error").
    /// </summary>
    public static DataFileException Failure(string fullPath, string failure, Exception cause) =>
        new(fullPath, $"{failure}: {cause.Message}{FreeSpace.NoteIfFull(fullPath)}", cause);
}
