using Courier.EndToEnd.Runners;

namespace Courier.EndToEnd.Rollout;

/// <summary>The canary incident replay on the embedded SQLite engine.</summary>
public sealed class SqliteCanaryIncidentTests : CanaryIncidentTests
{
    protected override RunnerEngine CreateEngine() => RunnerEngine.Sqlite();
}
