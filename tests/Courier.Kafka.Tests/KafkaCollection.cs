using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>Tests that share one mock cluster; every test uses topics and groups of its own.</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "kafka";
}
