using Courier.Server.Tests.Kafka;

namespace Courier.Server.Tests.Audit;

/// <summary>The audit on Kafka: librdkafka's mock cluster, which <c>courier</c> reaches with <c>--kafka</c>.</summary>
public sealed class KafkaLedgerAuditTests : LedgerAuditTests
{
    private readonly KafkaDevCluster _cluster = DevClusters.Start();

    protected override string[] EngineArgs => ["--kafka", _cluster.BootstrapServers];

    protected override IJobLog OpenLog() => DevClusters.OpenLog(_cluster);

    protected override ValueTask CloseEngineAsync()
    {
        _cluster.Dispose();
        return ValueTask.CompletedTask;
    }
}
