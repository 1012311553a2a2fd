namespace Courier.EndToEnd.Support;

/// <summary>Opens the embedded SQLite job log the way `courier up --data DIR` does: <c>DIR/log.db</c>.</summary>
internal static class EmbeddedLog
{
    public const string FileName = "log.db";

    public static SqliteJobLog Open(string dataDirectory) =>
        SqliteJobLog.Open(Path.Combine(dataDirectory, FileName), new SqliteJobLogOptions());
}
