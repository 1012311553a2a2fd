using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>
/// The job log contract, run against the Kafka engine on the shared mock cluster, with consumer groups on the KIP-848
/// protocol (the development cluster's default).
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaJobLogComplianceTests(KafkaClusterFixture fixture) : JobLogComplianceTests
{
    protected override Task<IJobLog> CreateLogAsync() => Task.FromResult<IJobLog>(new KafkaJobLog(fixture.LogOptions()));

    protected override string? KnownLimitation(string test) => test switch
    {
        // Covered by the classic-protocol run instead.
        nameof(Subscribe_PicksUpATopicCreatedLater) =>
            "librdkafka's mock brokers compute a KIP-848 group's assignment only when a member joins, leaves or changes its " +
            "subscription, so a subscribed topic created later is not assigned (Kafka reassigns on the topic's creation); " +
            "the classic-protocol run covers this test",
        _ => null,
    };
}
