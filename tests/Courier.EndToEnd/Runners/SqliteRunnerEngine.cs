namespace Courier.EndToEnd.Runners;

/// <summary>The embedded engine: a SQLite job log in a temporary directory.</summary>
internal sealed class SqliteRunnerEngine : RunnerEngine
{
    private readonly TempDirectory _directory = new();

    public override string Name => "sqlite";

    public override IJobLog CreateLog() =>
        SqliteJobLog.Open(Path.Combine(_directory.Path, "log.db"), new SqliteJobLogOptions());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _directory.Dispose();
        }
    }
}
