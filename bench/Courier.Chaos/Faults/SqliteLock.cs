using Microsoft.Data.Sqlite;

namespace Courier.Chaos.Faults;

/// <summary>
/// The SQLITE_BUSY fault: a competing writer that opens a SQLite file of the data directory, takes
/// <c>BEGIN EXCLUSIVE</c> and holds it, so every other writer waits on its busy timeout (and past it, gets
/// SQLITE_BUSY), then rolls back.
/// </summary>
internal static class SqliteLock
{
    public static async Task HoldAsync(string path, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no such SQLite file to lock", path);
        }
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var busy = connection.CreateCommand())
        {
            // Wait for the lock ourselves as long as it takes the others to let go.
            busy.CommandText = "PRAGMA busy_timeout = 30000; BEGIN EXCLUSIVE;";
            await busy.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            await using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
