using Courier.Testing;

namespace Courier.Sqlite.Tests;

/// <summary>The job log contract, run against a fresh SQLite file per test.</summary>
public sealed class SqliteJobLogComplianceTests : JobLogComplianceTests
{
    private readonly TempDirectory _directory = new();

    protected override Task<IJobLog> CreateLogAsync() => Task.FromResult<IJobLog>(SqliteJobLog.Open(_directory.File("log.db")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
