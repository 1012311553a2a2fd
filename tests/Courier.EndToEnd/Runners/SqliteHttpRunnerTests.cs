namespace Courier.EndToEnd.Runners;

/// <summary>The HTTP runner scenarios on the embedded SQLite engine.</summary>
public sealed class SqliteHttpRunnerTests : HttpRunnerEndToEndTests
{
    protected override RunnerEngine CreateEngine() => RunnerEngine.Sqlite();
}
