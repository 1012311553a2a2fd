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

    /// <summary>
    /// How long a classic group member may go without a heartbeat: long enough that a member of a loaded machine (tests
    /// share two cores with other work) is not expelled mid-test, which would move partitions no test moved.
    /// </summary>
    public static readonly TimeSpan ClassicSessionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Options for a log whose groups use the classic protocol (cooperative-sticky). The mock holds a classic group in
    /// its join phase for the session timeout less 1 s after every membership change, so each rebalance here takes about
    /// 9 s; tests of classic groups wait on the assignment, bounded generously.
    /// </summary>
    public KafkaJobLogOptions ClassicLogOptions()
    {
        var options = Cluster.CreateJobLogOptions();
        options.Consumer = new ConsumerConfig
        {
            GroupProtocol = GroupProtocol.Classic,
            SessionTimeoutMs = (int)ClassicSessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)(ClassicSessionTimeout.TotalMilliseconds / 3),
            TopicMetadataRefreshIntervalMs = 500,
        };
        // A synchronous commit retries the mock's refusals (REBALANCE_IN_PROGRESS, for the whole join phase) for up to the
        // request timeout; a cooperative rebalance is two join phases here, about 18 s, so 15 s would give up mid-way.
        options.RequestTimeout = TimeSpan.FromSeconds(60);
        return options;
    }

    public void Dispose() => Cluster.Dispose();
}
