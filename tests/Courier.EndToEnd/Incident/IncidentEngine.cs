using Courier.EndToEnd.Support;

namespace Courier.EndToEnd.Incident;

/// <summary>
/// The job log the incident runs on: the embedded SQLite log in a temporary directory, or a one-broker mock Kafka
/// cluster in the test process (topics are created through the mock, so everything runs in this process).
/// </summary>
internal sealed class IncidentEngine : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Kafka = "kafka";

    private readonly TempDirectory? _directory;
    private readonly KafkaDevCluster? _cluster;

    private IncidentEngine(IJobLog log, TempDirectory? directory, KafkaDevCluster? cluster)
    {
        Log = log;
        _directory = directory;
        _cluster = cluster;
    }

    public IJobLog Log { get; }

    public static IncidentEngine Open(string engine)
    {
        switch (engine)
        {
            case Sqlite:
                var directory = new TempDirectory("incident");
                return new IncidentEngine(EmbeddedLog.Open(directory.Path), directory, null);
            case Kafka:
                var cluster = KafkaDevCluster.Start(brokers: 1);
                try
                {
                    // The fixed build joins the group the old build left: let it form at once.
                    cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromMilliseconds(100));
                    var options = cluster.CreateJobLogOptions();
                    options.Consumer!.TopicMetadataRefreshIntervalMs = 500;
                    options.RequestTimeout = TimeSpan.FromSeconds(15);
                    return new IncidentEngine(new KafkaJobLog(options), null, cluster);
                }
                catch
                {
                    cluster.Dispose();
                    throw;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, "sqlite or kafka");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        _cluster?.Dispose();
        _directory?.Dispose();
    }
}
