using Microsoft.Data.Sqlite;

namespace Courier.EndToEnd.Support;

/// <summary>
/// Reads what the demo <c>massMessage</c> handler of `courier up` delivered: one row per delivery in the
/// <c>inbox</c> table of <c>DIR/demo.db</c>, with the job id in <c>job_id</c>. A job delivered twice has two rows.
/// </summary>
internal static class InboxReader
{
    public const string FileName = "demo.db";

    /// <summary>Deliveries per job id; empty while the database or the table does not exist yet.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadDeliveriesAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var deliveries = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return deliveries;
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false, // hold no handle on the file between polls
            DefaultTimeout = 10,
        }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbox'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return deliveries;
            }
        }
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, count(*) FROM inbox GROUP BY job_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries[reader.GetString(0)] = reader.GetInt32(1);
        }
        return deliveries;
    }
}
