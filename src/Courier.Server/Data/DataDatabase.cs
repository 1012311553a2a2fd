using Courier.Files;
using Microsoft.Data.Sqlite;

namespace Courier.Server.Data;

/// <summary>
/// What the data directory's own SQLite files (the demo inbox, the downtime store) share: created owner-only before
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
            throw new DataFileException(fullPath, $"cannot create the {what}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The connection string of <paramref name="fullPath"/>. No pooling: a pooled connection would keep the file open
    /// after Dispose, which surprises tests and tools.
    /// </summary>
    public static string ConnectionString(string fullPath) =>
        new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false, DefaultTimeout = 30 }.ToString();
}
