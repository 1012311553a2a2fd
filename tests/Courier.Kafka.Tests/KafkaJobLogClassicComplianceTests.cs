using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>
/// The job log contract with consumer groups on the classic protocol (cooperative-sticky), Courier's default for
/// production clusters. Nothing is skipped: the mock's classic groups refuse commits for their whole join phase, which
/// the engine retries, and every rebalance takes most of a session timeout, which the waits allow for.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaJobLogClassicComplianceTests(KafkaClusterFixture fixture) : JobLogComplianceTests
{
    protected override Task<IJobLog> CreateLogAsync() => Task.FromResult<IJobLog>(new KafkaJobLog(fixture.ClassicLogOptions()));

    /// <summary>Every classic rebalance on the mock takes most of a session timeout (see <see cref="KafkaClusterFixture.ClassicLogOptions"/>).</summary>
    protected override TimeSpan WaitLimit => TimeSpan.FromSeconds(90);
}
