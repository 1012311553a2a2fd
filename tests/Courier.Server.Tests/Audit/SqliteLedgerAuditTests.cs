namespace Courier.Server.Tests.Audit;

/// <summary>The audit on the embedded engine: a SQLite file, which <c>courier</c> opens with <c>--data</c>.</summary>
public sealed class SqliteLedgerAuditTests : LedgerAuditTests
{
    private readonly TempDirectory _dir = new();

    protected override string[] EngineArgs => ["--data", _dir.Path];

    protected override IJobLog OpenLog() => SqliteJobLog.Open(_dir.File("log.db"));

    protected override ValueTask CloseEngineAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
