namespace Courier.EndToEnd.Runners;

/// <summary>
/// Kafka: a 3-broker mock cluster started in the test process (librdkafka's), and a Kafka job log on it whose topics
/// are created through the mock's API. The dispatcher under test talks to the brokers over their wire protocol.
/// </summary>
internal sealed class KafkaRunnerEngine : RunnerEngine
{
    private readonly KafkaDevCluster _cluster;

    public KafkaRunnerEngine()
    {
        _cluster = KafkaDevCluster.Start(brokers: 3);
        // One dispatcher per group: it need not wait for other members.
        _cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromMilliseconds(100));
    }

    public override string Name => "kafka";

    public override IJobLog CreateLog()
    {
        var options = _cluster.CreateJobLogOptions();
        // Retry topics a dispatcher creates after subscribing are seen within this time.
        options.Consumer!.TopicMetadataRefreshIntervalMs = 500;
        options.RequestTimeout = TimeSpan.FromSeconds(15);
        return new KafkaJobLog(options);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cluster.Dispose();
        }
    }
}
