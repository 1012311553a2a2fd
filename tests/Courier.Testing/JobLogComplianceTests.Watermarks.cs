using Xunit;

namespace Courier.Testing;

/// <summary>The batched watermark read: several topics and partitions in one call.</summary>
public abstract partial class JobLogComplianceTests
{
    [Fact]
    public async Task Watermarks_Batched_ReadsEveryKnownPartition_AndLeavesOutUnknownOnes()
    {
        var first = await CreateTopicAsync(3, "WatermarksBatchedA");
        var second = await CreateTopicAsync(2, "WatermarksBatchedB");
        await ProduceAsync(
        [
            .. Enumerable.Range(0, 4).Select(_ => new OutgoingRecord(first, null, new byte[] { 1 }, null, 1)),
            .. Enumerable.Range(0, 2).Select(_ => new OutgoingRecord(second, null, new byte[] { 2 }, null, 0)),
        ]);
        var missingTopic = new TopicPartition($"{first}-missing", 0);
        var missingPartition = new TopicPartition(second, 5);
        TopicPartition[] request =
        [
            new(first, 0), new(first, 1), new(first, 2), new(second, 0), new(second, 1), new(first, 1),
            missingTopic, missingPartition,
        ];

        var marks = await Log.GetWatermarksAsync(request, Token);

        Assert.Equal(5, marks.Count);
        Assert.Equal(new PartitionWatermarks(0, 0), marks[new TopicPartition(first, 0)]);
        Assert.Equal(new PartitionWatermarks(0, 4), marks[new TopicPartition(first, 1)]);
        Assert.Equal(new PartitionWatermarks(0, 0), marks[new TopicPartition(first, 2)]);
        Assert.Equal(new PartitionWatermarks(0, 2), marks[new TopicPartition(second, 0)]);
        Assert.Equal(new PartitionWatermarks(0, 0), marks[new TopicPartition(second, 1)]);
        Assert.False(marks.ContainsKey(missingTopic));
        Assert.False(marks.ContainsKey(missingPartition));
        Assert.Empty(await Log.GetWatermarksAsync(Array.Empty<TopicPartition>(), Token));
    }

    [Fact]
    public async Task Watermarks_SinglePartition_ThrowsForAnUnknownPartition()
    {
        var topic = await CreateTopicAsync(1);
        Assert.Equal(new PartitionWatermarks(0, 0), await Log.GetWatermarksAsync(new TopicPartition(topic, 0), Token));
        await Assert.ThrowsAsync<JobLogException>(async () => await Log.GetWatermarksAsync(new TopicPartition(topic, 3), Token));
        await Assert.ThrowsAsync<JobLogException>(
            async () => await Log.GetWatermarksAsync(new TopicPartition($"{topic}-missing", 0), Token));
    }
}
