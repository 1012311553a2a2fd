namespace Courier.Tests.Client;

/// <summary>The client's log-facing tests on the embedded SQLite engine, in a temporary file per test.</summary>
public sealed class CourierClientSqliteLogTests : CourierClientLogTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("courier-client-").FullName;

    protected override ValueTask<IJobLog> CreateLogAsync() =>
        ValueTask.FromResult<IJobLog>(SqliteJobLog.Open(Path.Combine(_directory, "log.db")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
