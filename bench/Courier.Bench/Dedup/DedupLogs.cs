using System.Globalization;
using Confluent.Kafka;

namespace Courier.Bench.Dedup;

/// <summary>
/// Where the dedup section's drains read from: on SQLite a fresh log file per drain; on Kafka one mock cluster for the
/// section and a fresh topic (a job type of its own) per drain, so no drain reads another's records.
/// </summary>
internal sealed class DedupLogs : IAsyncDisposable
{
    private readonly KafkaDevCluster? _cluster;
    private readonly KafkaJobLog? _kafka;
    private readonly int _partitions;
    private int _drains;

    private DedupLogs(string engine, KafkaDevCluster? cluster, int partitions)
    {
        Engine = engine;
        _cluster = cluster;
        _partitions = partitions;
        // The Kafka section's consumer tuning, in a classic group like its "Courier" column.
        _kafka = cluster is null ? null : KafkaBench.CreateLog(cluster, GroupProtocol.Classic);
    }

    /// <summary><c>sqlite</c> or <c>kafka</c>.</summary>
    public string Engine { get; }

    /// <summary>Whether each drain's log is its own, to dispose after the drain (SQLite), or shared (Kafka).</summary>
    public bool OwnsLogs => _kafka is null;

    /// <summary>The logs of <paramref name="engine"/> (<c>sqlite</c> or <c>kafka</c>).</summary>
    public static DedupLogs Create(string engine, int kafkaPartitions)
    {
        if (engine != "kafka")
        {
            return new DedupLogs(engine, null, 0);
        }
        var cluster = KafkaDevCluster.Start(brokers: 3);
        cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        return new DedupLogs(engine, cluster, kafkaPartitions);
    }

    /// <summary>The next drain's log and job type: a fresh SQLite file in <paramref name="directory"/>, or a fresh topic.</summary>
    public (IJobLog Log, string JobType) Next(string directory, CourierOptions courierOptions)
    {
        ArgumentNullException.ThrowIfNull(courierOptions);
        var jobType = "noop-" + (++_drains).ToString(CultureInfo.InvariantCulture);
        if (_kafka is null || _cluster is null)
        {
            return (SqliteJobLog.Open(Path.Combine(directory, "log.db")), jobType);
        }
        _cluster.CreateTopic(courierOptions.Topics.JobTopic(jobType), _partitions);
        return (_kafka, jobType);
    }

    public async ValueTask DisposeAsync()
    {
        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }
        _cluster?.Dispose();
    }
}
