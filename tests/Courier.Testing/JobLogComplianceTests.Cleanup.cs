using System.Text;
using Xunit;

namespace Courier.Testing;

/// <summary>Topics created with a cleanup policy (<see cref="TopicCleanup"/>), on every engine.</summary>
public abstract partial class JobLogComplianceTests
{
    [Fact]
    public async Task EnsureTopic_Compacted_IsAUsableTopic_WithItsPartitions_AndIdempotent()
    {
        var topic = NewName("compacted");
        await Log.EnsureTopicAsync(topic, 3, TopicCleanup.Compact, Token);
        await Log.EnsureTopicAsync(topic, 3, TopicCleanup.Compact, Token);
        await Log.EnsureTopicAsync(topic, 3, Token);

        Assert.Equal(3, Assert.Single(await Log.ListTopicsAsync(Token), t => t.Name == topic).Partitions);
        var positions = await ProduceAsync([new OutgoingRecord(topic, "job-1", Encoding.UTF8.GetBytes("first"), Partition: 1),
            new OutgoingRecord(topic, "job-1", Encoding.UTF8.GetBytes("last"), Partition: 1)]);
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 1, positions[0].Offset)]);
        Assert.Equal(["first", "last"], ConsumeCount(consumer, 2).Select(r => Encoding.UTF8.GetString(r.Value.Span)));
    }
}
