namespace Courier.EndToEnd.Runners;

/// <summary>
/// The job log engine an HTTP runner scenario runs on: the embedded SQLite log, or Kafka (a mock cluster in the test
/// process). The scenarios are written once against this and run on both.
/// </summary>
public abstract class RunnerEngine : IDisposable
{
    /// <summary>The engine's name, for messages.</summary>
    public abstract string Name { get; }

    /// <summary>The one log of a scenario: the client, the dispatcher and raw producers all use it.</summary>
    public abstract IJobLog CreateLog();

    public static RunnerEngine Sqlite() => new SqliteRunnerEngine();

    public static RunnerEngine Kafka() => new KafkaRunnerEngine();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
