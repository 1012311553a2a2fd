using Confluent.Kafka;
using Courier.Kafka.Configuration;
using Courier.Kafka.Native;
using Courier.Kafka.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier;

/// <summary>
/// A Kafka cluster for development and tests: librdkafka's built-in mock brokers, which speak the Kafka wire protocol
/// on local ports. Any Kafka client in any process can use <see cref="BootstrapServers"/> while this object lives.
/// Also drives the mock's fault injection: brokers down and up, request errors.
/// </summary>
/// <remarks>
/// Limits of the mock to design around: brokers do not implement CreateTopics (create topics with
/// <see cref="CreateTopic"/>, or through a <see cref="KafkaJobLog"/> made from <see cref="CreateJobLogOptions"/>; other
/// processes get auto-created topics of 4 partitions); each partition keeps only about 5 MiB (and 100,000 record
/// batches) and silently drops the oldest beyond that; a group's first join waits for the initial rebalance delay
/// (3 s unless <see cref="SetGroupInitialRebalanceDelay"/> changes it).
/// </remarks>
public sealed class KafkaDevCluster : IDisposable
{
    private static readonly TimeSpan DefaultConsumerHeartbeatInterval = TimeSpan.FromMilliseconds(500);

    private readonly IProducer<Null, Null> _owner;
    private readonly ILogger _logger;
    private readonly IntPtr _mockCluster;
    private bool _disposed;

    private KafkaDevCluster(IProducer<Null, Null> owner, int brokers, string bootstrapServers, IntPtr mockCluster, ILogger logger)
    {
        _owner = owner;
        BrokerCount = brokers;
        BootstrapServers = bootstrapServers;
        _mockCluster = mockCluster;
        _logger = logger;
    }

    /// <summary>The brokers' <c>host:port</c> list, for any Kafka client.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1 to this number.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> mock brokers on local ports.</summary>
    /// <exception cref="JobLogException">The mock cluster could not be started or reached.</exception>
    public static KafkaDevCluster Start(int brokers = 3, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KafkaDevCluster>();
        var config = new ProducerConfig { ClientId = "courier-dev-cluster" };
        // The cluster lives inside this client (any client type would do) and ends with it.
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, message) => KafkaLogMessages.Librdkafka(
                logger, ClientConfigs.ToLogLevel(message.Level), message.Name, message.Facility, message.Message))
            .SetErrorHandler((_, error) => KafkaLogMessages.ClientError(logger, "courier-dev-cluster", error.Code.ToString(), error.Reason))
            .Build();
        try
        {
            string bootstrapServers;
            using (var admin = new DependentAdminClientBuilder(owner.Handle).Build())
            {
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
                bootstrapServers = string.Join(",", metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
            }
            var mockCluster = NativeMethods.WithKafkaHandle(owner.Handle, NativeMethods.HandleMockCluster);
            if (mockCluster == IntPtr.Zero)
            {
                throw new JobLogException("librdkafka created no mock cluster for test.mock.num.brokers.");
            }
            // The mock brokers report no controller unless told one, and admin requests then wait for one until they
            // time out; with a controller, requests the mock does not implement (CreateTopics) fail at once as unsupported.
            NativeMethods.MockSetControllerId(mockCluster, 1);
            // KIP-848 groups reconcile at heartbeats; the broker default of 5 s makes every rebalance take seconds.
            NativeMethods.MockGroupConsumerHeartbeatInterval(mockCluster, (int)DefaultConsumerHeartbeatInterval.TotalMilliseconds);
            var cluster = new KafkaDevCluster(owner, brokers, bootstrapServers, mockCluster, logger);
            KafkaLogMessages.DevClusterStarted(logger, brokers, bootstrapServers);
            return cluster;
        }
        catch (KafkaException ex)
        {
            owner.Dispose();
            throw new JobLogException($"could not start the Kafka development cluster: {ex.Error.Reason}", ex);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Options for a <see cref="KafkaJobLog"/> on this cluster: topics are created through the mock's API, and consumer
    /// groups use the KIP-848 <c>consumer</c> protocol (<c>group.protocol=consumer</c>).
    /// </summary>
    /// <remarks>
    /// The mock brokers' classic group protocol differs from Kafka's in a way that hurts: on every membership change it
    /// holds the group in its join phase for the session timeout less one second (44 s with librdkafka's default
    /// session timeout), refusing every offset commit meanwhile, where Kafka admits commits of the current generation
    /// until the join completes. A member that revokes and commits while another member leaves then loses that commit.
    /// The mock's KIP-848 groups reconcile member by member, within a heartbeat, and accept commits throughout — closer
    /// to what a real cluster does with either protocol. Set <see cref="KafkaJobLogOptions.Consumer"/>'s GroupProtocol to
    /// Classic to test the classic protocol anyway.
    /// </remarks>
    public KafkaJobLogOptions CreateJobLogOptions() => new()
    {
        BootstrapServers = BootstrapServers,
        DevCluster = this,
        Consumer = new ConsumerConfig { GroupProtocol = GroupProtocol.Consumer },
    };

    /// <summary>Disconnects broker <paramref name="brokerId"/> (1 to <see cref="BrokerCount"/>, or -1 for all) and refuses new connections. Its partitions keep their leader.</summary>
    public void SetBrokerDown(int brokerId)
    {
        Check(NativeMethods.MockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");
        KafkaLogMessages.BrokerState(_logger, brokerId, "down");
    }

    /// <summary>Lets broker <paramref name="brokerId"/> (or -1 for all) accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        Check(NativeMethods.MockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");
        KafkaLogMessages.BrokerState(_logger, brokerId, "up");
    }

    /// <summary>Delays every response of broker <paramref name="brokerId"/> (or -1 for all) by <paramref name="roundTripTime"/>.</summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan roundTripTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTripTime, TimeSpan.Zero);
        Check(NativeMethods.MockBrokerSetRtt(Cluster, brokerId, checked((int)roundTripTime.TotalMilliseconds)), $"set the round trip time of broker {brokerId}");
    }

    /// <summary>
    /// Makes the next <c>errors.Length</c> requests of type <paramref name="apiKey"/> (see <see cref="KafkaApiKeys"/>) to any
    /// broker fail, in order, with these errors. <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection.
    /// </summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }
        NativeMethods.MockPushRequestErrors(Cluster, apiKey, (nuint)errors.Length, errors);
        KafkaLogMessages.RequestErrorsPushed(_logger, errors.Length, apiKey, string.Join(", ", errors));
    }

    /// <summary>Drops the request errors still queued for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(short apiKey) => NativeMethods.MockClearRequestErrors(Cluster, apiKey);

    /// <summary>
    /// Creates a topic (the mock brokers do not implement the CreateTopics request). A replication factor of -1 or more
    /// than <see cref="BrokerCount"/> means every broker.
    /// </summary>
    /// <returns>False if the topic already existed (it is left as it is).</returns>
    public bool CreateTopic(string topic, int partitions, int replicationFactor = -1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (replicationFactor is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor, "must be -1 (all brokers) or at least 1");
        }
        var replicas = replicationFactor < 0 ? BrokerCount : Math.Min(replicationFactor, BrokerCount);
        var error = NativeMethods.MockTopicCreate(Cluster, topic, partitions, replicas);
        if (error == ErrorCode.TopicAlreadyExists)
        {
            return false;
        }
        Check(error, $"create topic {topic}");
        return true;
    }

    /// <summary>The broker leading each partition of <paramref name="topic"/> (partition → broker id), from the cluster's metadata.</summary>
    public IReadOnlyDictionary<int, int> PartitionLeaders(string topic, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, timeout);
        return metadata.Topics.Single(t => t.Topic == topic).Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
    }

    /// <summary>
    /// Makes broker <paramref name="brokerId"/> the leader of a partition. Clients move to it when a request to the old
    /// leader fails or their metadata refreshes; set it before clients use the topic to have them start there.
    /// </summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        Check(NativeMethods.MockPartitionSetLeader(Cluster, topic, partition, brokerId), $"make broker {brokerId} the leader of {topic}[{partition}]");
    }

    /// <summary>
    /// Makes broker <paramref name="brokerId"/> the coordinator of consumer group <paramref name="groupId"/> (otherwise
    /// the mock picks one by hashing the group id). Set it before the group's first member looks for its coordinator;
    /// with <see cref="SetBrokerDown"/> a test takes the coordinator away while the partitions stay reachable.
    /// </summary>
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        Check(NativeMethods.MockCoordinatorSet(Cluster, "group", groupId, brokerId), $"make broker {brokerId} the coordinator of group {groupId}");
    }

    /// <summary>
    /// Sets how long a new consumer group waits for more members before its first assignment (applies to groups created
    /// afterwards). The mock's default, like Kafka's, is 3 s.
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        NativeMethods.MockGroupInitialRebalanceDelay(Cluster, checked((int)delay.TotalMilliseconds));
    }

    /// <summary>
    /// Sets after how long without a heartbeat a member of a KIP-848 (<c>group.protocol=consumer</c>) group is removed
    /// and its partitions go to the others — how soon a killed dispatcher's work is taken over. The mock's default is 45 s.
    /// </summary>
    public void SetGroupConsumerSessionTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        NativeMethods.MockGroupConsumerSessionTimeout(Cluster, checked((int)timeout.TotalMilliseconds));
    }

    /// <summary>
    /// Sets how often members of KIP-848 groups heartbeat (and so how quickly they learn of assignment changes).
    /// <see cref="Start"/> sets it to 500 ms.
    /// </summary>
    public void SetGroupConsumerHeartbeatInterval(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        NativeMethods.MockGroupConsumerHeartbeatInterval(Cluster, checked((int)interval.TotalMilliseconds));
    }

    /// <summary>Stops the brokers. Clients still connected see the brokers go away.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _owner.Dispose();
    }

    private IntPtr Cluster
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _mockCluster;
        }
    }

    private static void Check(ErrorCode error, string what)
    {
        if (error != ErrorCode.NoError)
        {
            throw new JobLogException($"Kafka development cluster: could not {what}: {new Error(error).Reason} ({error}).");
        }
    }
}
