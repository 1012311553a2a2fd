using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>
/// What <see cref="KafkaJobLog"/> asks a real broker's CreateTopics for. The mock cluster has no topic configurations to
/// read back, so the request itself is what can be checked here.
/// </summary>
public sealed class KafkaTopicSpecificationTests
{
    [Fact]
    public void CompactedTopic_IsRequestedWithCleanupPolicyCompact()
    {
        var spec = KafkaJobLog.TopicSpecificationOf("courier.outcomes", 6, 3, TopicCleanup.Compact);

        Assert.Equal(("courier.outcomes", 6, (short)3), (spec.Name, spec.NumPartitions, spec.ReplicationFactor));
        Assert.Equal("compact", Assert.Single(spec.Configs).Value);
        Assert.Equal("cleanup.policy", Assert.Single(spec.Configs).Key);
    }

    [Fact]
    public void OtherTopics_KeepTheBrokersDefaultPolicy()
    {
        Assert.Null(KafkaJobLog.TopicSpecificationOf("courier.errors", 4, -1, TopicCleanup.Delete).Configs);
    }
}
