using Confluent.Kafka;

namespace Courier.Kafka.Tests;

/// <summary>One mock Kafka cluster per test collection, with settings that keep group tests fast.</summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public KafkaClusterFixture()
    {
        Cluster = KafkaDevCluster.Start(brokers: 3);
        // Groups form as soon as their first member joins; every test uses groups of its own.
        Cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromMilliseconds(100));
    }

    public KafkaDevCluster Cluster { get; }

    /// <summary>Options for a log on this cluster (KIP-848 groups), tuned for tests: quick metadata refreshes.</summary>
    public KafkaJobLogOptions LogOptions()
    {
        var options = Cluster.CreateJobLogOptions();
        // Topics created after a subscription are seen within this time.
        options.Consumer!.TopicMetadataRefreshIntervalMs = 500;
        options.RequestTimeout = TimeSpan.FromSeconds(15);
        return options;
    }

    /// <summary>Options for a log whose groups use the classic protocol (cooperative-sticky), with a short session.</summary>
    public KafkaJobLogOptions ClassicLogOptions()
    {
        var options = Cluster.CreateJobLogOptions();
        options.Consumer = new ConsumerConfig
        {
            GroupProtocol = GroupProtocol.Classic,
            // The mock holds a classic group in its join phase for the session timeout less 1 s after every change.
            SessionTimeoutMs = 2_000,
            HeartbeatIntervalMs = 300,
            TopicMetadataRefreshIntervalMs = 500,
        };
        options.RequestTimeout = TimeSpan.FromSeconds(15);
        return options;
    }

    public void Dispose() => Cluster.Dispose();
}
