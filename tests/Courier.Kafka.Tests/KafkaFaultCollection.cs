using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>Tests that take brokers down or inject errors: a cluster of their own, so no other test sees the faults.</summary>
[CollectionDefinition(Name)]
public sealed class KafkaFaultCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "kafka-faults";
}
