using Confluent.Kafka;
using Courier.Chaos.Workload;

namespace Courier.Chaos;

/// <summary>
/// The engine under the soak, as the harness holds it: the embedded log in the data directory, or the Kafka mock
/// cluster hosted in this process (its brokers faulted by the schedule) with the topics created up front with enough
/// partitions — the mock keeps only about 5 MiB per partition and silently drops the oldest records beyond that,
/// which a long soak would otherwise take for lost jobs.
/// </summary>
internal sealed class ChaosEngine : IAsyncDisposable
{
    private const int Brokers = 3;

    /// <summary>The mock brokers a soak on these options has (0 on SQLite), for the schedule's broker faults.</summary>
    public static int BrokersFor(ChaosOptions options) => options.Engine == ChaosEngineKind.Kafka ? Brokers : 0;

    private readonly KafkaJobLogOptions? _kafkaOptions;

    private ChaosEngine(IJobLog log, KafkaDevCluster? cluster, KafkaJobLogOptions? kafkaOptions)
    {
        Log = log;
        Cluster = cluster;
        _kafkaOptions = kafkaOptions;
    }

    /// <summary>The log the harness enqueues to and checks (a new one after <see cref="ReopenAsync"/>).</summary>
    public IJobLog Log { get; private set; }

    /// <summary>
    /// Replaces the harness's own Kafka clients with new ones (nothing on SQLite). After a mock broker went down and
    /// came back, the harness's admin client was seen timing out committed-offset reads for many minutes while the
    /// dispatchers' clients, and a fresh <c>courier audit</c>, read them at once; the settle reopens rather than wait
    /// on a client that does not recover.
    /// </summary>
    public async Task ReopenAsync()
    {
        if (_kafkaOptions is null)
        {
            return;
        }
        var old = Log;
        Log = new KafkaJobLog(_kafkaOptions);
        await old.DisposeAsync();
    }

    /// <summary>The mock cluster, on the Kafka engine.</summary>
    public KafkaDevCluster? Cluster { get; }

    /// <summary>Brokers of the mock cluster (0 on SQLite).</summary>
    public int BrokerCount => Cluster?.BrokerCount ?? 0;

    /// <summary>The bootstrap list the dispatchers connect to (null on SQLite).</summary>
    public string? BootstrapServers => Cluster?.BootstrapServers;

    public static ChaosEngine Start(ChaosOptions options, ChaosFiles files)
    {
        if (options.Engine == ChaosEngineKind.Sqlite)
        {
            return new ChaosEngine(SqliteJobLog.Open(Path.Combine(files.Data, ChaosFiles.LogDb), new SqliteJobLogOptions()), null, null);
        }
        var cluster = KafkaDevCluster.Start(Brokers);
        try
        {
            // A killed dispatcher's partitions move after this long without its heartbeat (the mock's default is 45 s).
            cluster.SetGroupConsumerSessionTimeout(TimeSpan.FromSeconds(6));
            cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromMilliseconds(500));
            CreateTopics(cluster, options);
            var logOptions = cluster.CreateJobLogOptions();
            logOptions.Producer = new ProducerConfig { CompressionType = CompressionType.Lz4, LingerMs = 5 };
            return new ChaosEngine(new KafkaJobLog(logOptions), cluster, logOptions);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private static void CreateTopics(KafkaDevCluster cluster, ChaosOptions options)
    {
        var courier = new CourierOptions();
        var topics = courier.Topics;
        var perType = options.Jobs / ChaosWorkload.JobTypes.Count;
        foreach (var type in ChaosWorkload.JobTypes)
        {
            var jobTopic = topics.JobTopic(type);
            // Job records arrive in one batch a second (ChaosWorkload), several to a partition, lz4-compressed: about
            // 350 bytes each stored. Retry, error and ledger records are written one or a few at a time.
            cluster.CreateTopic(jobTopic, PartitionsFor(perType, 350));
            foreach (var delay in ChaosRules.RetryTiers)
            {
                cluster.CreateTopic(topics.RetryTopic(jobTopic, new RetryTier(delay)), PartitionsFor(perType / 10, 900));
            }
        }
        cluster.CreateTopic(topics.ErrorTopic, PartitionsFor(options.Jobs / 20, 1500));
        // The ledger gets one entry per job, mostly one to a message set (entries are keyed by job id, so a flush
        // spreads over every partition). The mock answers a fetch with one message set per partition, found by walking
        // the partition from its first, so reading a partition of M sets costs M fetches and M²/2 steps: a million
        // entries over 128 partitions took each audit's ledger reads about 20 minutes. About 1,000 sets a partition
        // keeps a full read of it short.
        cluster.CreateTopic(topics.OutcomeLedgerTopic, (int)Math.Clamp(options.Jobs / 1_000L, 4, 1_024));
    }

    /// <summary>Partitions for <paramref name="records"/> of about <paramref name="bytes"/> each, at most 2 MiB per partition.</summary>
    private static int PartitionsFor(long records, int bytes) => (int)Math.Clamp(records * bytes / (2L << 20) + 1, 4, 128);

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        Cluster?.Dispose();
    }
}
