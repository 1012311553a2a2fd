using Microsoft.Data.Sqlite;

namespace Courier.Bench.Limit;

/// <summary>
/// The records of the physical-limit run: Courier enqueues the no-op jobs exactly as the embedded section's enqueue
/// phase does (<see cref="CourierTarget"/>, batches of <see cref="BenchOptions.BatchSize"/>) into a scratch file, and the
/// rows are read back in the order they were appended. Not timed.
/// </summary>
internal static class LimitRecords
{
    public static async Task<IReadOnlyList<LimitRecord>> CaptureAsync(BenchOptions options, int jobs, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory("limit-source");
        var path = Path.Combine(directory.Path, "courier.db");
        await using (var target = new CourierTarget(directory.Path, new JobProbe(), options))
        {
            await target.EnqueueManyAsync(0, jobs, cancellationToken);
        }
        var records = new List<LimitRecord>(jobs);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var select = connection.CreateCommand();
        // Row ids grow with every insert, so rowid order is append order (the topic is the only one in the file).
        select.CommandText = "SELECT partition, key, headers, value FROM records ORDER BY rowid";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            records.Add(new LimitRecord(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : (byte[])reader[1],
                reader.IsDBNull(2) ? null : (byte[])reader[2],
                (byte[])reader[3]));
        }
        if (records.Count != jobs)
        {
            throw new InvalidOperationException($"the scratch log holds {records.Count} records, expected {jobs}");
        }
        return records;
    }
}
