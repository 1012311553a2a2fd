using Courier.Server.Admin;
using Xunit;

namespace Courier.Server.Tests.Admin;

public sealed class LogPositionTests
{
    [Theory]
    [InlineData("courier.error", 0, 15)]
    [InlineData("mediawiki.job.refreshLinks", 3, 0)]
    public void Format_RoundTripsThroughTryParse(string topic, int partition, long offset)
    {
        var position = new TopicPartitionOffset(topic, partition, offset);

        Assert.True(LogPosition.TryParse(LogPosition.Format(position), out var parsed));
        Assert.Equal(position, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01a21eea-51aa-772e-a709-365121bc7b0b")]
    [InlineData("courier.error:1")]
    [InlineData(":1:2")]
    [InlineData("courier.error:x:2")]
    [InlineData("courier.error:1:-2")]
    public void TryParse_Rejects_WhatIsNotAPosition(string text) =>
        Assert.False(LogPosition.TryParse(text, out _));

    [Theory]
    [InlineData("mediawiki.job.massMessage", nameof(TopicKind.Job), "massMessage")]
    [InlineData("courier.retry.1s.mediawiki.job.massMessage", nameof(TopicKind.Retry), "massMessage")]
    [InlineData("courier.retry.500ms.mediawiki.job.refreshLinks", nameof(TopicKind.Retry), "refreshLinks")]
    [InlineData("courier.error", nameof(TopicKind.Error), null)]
    [InlineData("courier.dlq.replays", nameof(TopicKind.ReplayLedger), null)]
    [InlineData("courier.partitioned.mediawiki.job.refreshLinks", nameof(TopicKind.Partitioned), "refreshLinks")]
    [InlineData("courier.partitioned.", nameof(TopicKind.Other), null)]
    [InlineData("something.else", nameof(TopicKind.Other), null)]
    public void Classify_NamesKindAndJobType(string topic, string kind, string? jobType) =>
        Assert.Equal((Enum.Parse<TopicKind>(kind), jobType), LogStatsReader.Classify(topic, new TopicNames()));
}
