using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Tests.Configuration;

public sealed class TopicNamesTests
{
    private static readonly TopicNames Defaults = new();
    private static readonly TopicNames Custom = new() { ServiceName = "cpjobqueue", JobTopicPrefix = "eqiad.mediawiki.job." };

    public static TheoryData<string, string> TiersAndTypes => new()
    {
        { "500ms", "refreshLinks" },
        { "1s", "massMessage" },
        { "6m", "cirrusSearch.LinksUpdate" },
        { "1d", "a" },
    };

    [Theory]
    [MemberData(nameof(TiersAndTypes))]
    public void EveryBuiltName_ParsesBack(string tierName, string type)
    {
        foreach (var names in (TopicNames[])[Defaults, Custom])
        {
            var tier = new RetryTier(TierDelay(tierName));
            Assert.Equal(tierName, tier.Name);
            var jobTopic = names.JobTopic(type);

            Assert.True(names.TryParseJobTopic(jobTopic, out var parsedType));
            Assert.Equal(type, parsedType);

            Assert.True(names.TryParseRetryTopic(names.RetryTopic(jobTopic, tier), out var parsedTier, out var retried));
            Assert.Equal((tierName, jobTopic), (parsedTier, retried));
            Assert.Matches(new Regex(names.AnyRetryTopicPattern), names.RetryTopic(jobTopic, tier));
            Assert.Matches(new Regex(Assert.Single(names.RetryTopicPatterns([jobTopic]))), names.RetryTopic(jobTopic, tier));

            Assert.True(names.TryParsePartitionedTopic(names.PartitionedTopic(jobTopic), out var partitioned));
            Assert.Equal(jobTopic, partitioned);

            Assert.True(names.IsErrorTopic(names.ErrorTopic));
        }
    }

    [Theory]
    [InlineData("mediawiki.job.")]
    [InlineData("mediawiki.jobs.x")]
    [InlineData("courier.retry.1s.mediawiki.job.x")]
    [InlineData("courier.error")]
    [InlineData("")]
    public void NotAJobTopic(string topic) => Assert.False(Defaults.TryParseJobTopic(topic, out _));

    [Theory]
    [InlineData("courier.retry.")]
    [InlineData("courier.retry.1s")]
    [InlineData("courier.retry.1s.")]
    [InlineData("courier.retry..mediawiki.job.x")]
    [InlineData("other.retry.1s.mediawiki.job.x")]
    [InlineData("courier.retried.1s.mediawiki.job.x")]
    [InlineData("mediawiki.job.x")]
    public void NotARetryTopic(string topic) => Assert.False(Defaults.TryParseRetryTopic(topic, out _, out _));

    [Theory]
    [InlineData("courier.partitioned.")]
    [InlineData("courier.partitioned")]
    [InlineData("cpjobqueue.partitioned.mediawiki.job.x")]
    [InlineData("mediawiki.job.x")]
    public void NotAPartitionedTopic(string topic) => Assert.False(Defaults.TryParsePartitionedTopic(topic, out _));

    [Theory]
    [InlineData("courier.error.x")]
    [InlineData("cpjobqueue.error")]
    [InlineData("courier.dlq.replays")]
    public void NotTheErrorTopic(string topic) => Assert.False(Defaults.IsErrorTopic(topic));

    [Theory]
    [InlineData("courier.retry..mediawiki.job.x")]
    [InlineData("courier.retry.1s.other.job.x")]
    [InlineData("courierXretry.1s.mediawiki.job.x")]
    [InlineData("courier.partitioned.mediawiki.job.x")]
    public void AnyRetryTopicPattern_MatchesNoOtherName(string topic) =>
        Assert.DoesNotMatch(new Regex(Defaults.AnyRetryTopicPattern), topic);

    [Theory]
    [InlineData("courier.retry.1s.mediawiki.job.refreshLinks", true)]
    [InlineData("courier.retry.7h.mediawiki.job.massMessage", true)] // a tier nobody configures now
    [InlineData("courier.retry.1s.mediawiki.job.refreshLinksPrioritized", false)] // a longer name
    [InlineData("courier.retry.1s.mediawiki.job.refreshLink", false)]
    [InlineData("courier.retry.1s.mediawiki.job.cirrusSearch", false)] // another type
    [InlineData("courier.retry.1s.mediawiki.jobXrefreshLinks", false)] // the dot is literal
    [InlineData("courier.retry..mediawiki.job.refreshLinks", false)]
    [InlineData("courier.retry.1s.x.mediawiki.job.refreshLinks", false)]
    [InlineData("mediawiki.job.refreshLinks", false)]
    public void RetryTopicPatterns_MatchEveryTierOfTheGivenJobTopics_AndNoOtherTopic(string topic, bool matches)
    {
        var pattern = new Regex(Assert.Single(Defaults.RetryTopicPatterns(["mediawiki.job.refreshLinks", "mediawiki.job.massMessage"])));
        Assert.Equal(matches, pattern.IsMatch(topic));
    }

    [Fact]
    public void RetryTopicPatterns_SplitManyTopics_IntoPatternsOfAtMostAHundred()
    {
        var topics = Enumerable.Range(0, 250).Select(i => Defaults.JobTopic($"type{i}")).ToList();
        var patterns = Defaults.RetryTopicPatterns(topics.Concat(topics)); // repeats count once
        Assert.Equal(3, patterns.Count);
        Assert.All(topics, t => Assert.Single(patterns, p => Regex.IsMatch(Defaults.RetryTopic(t, new RetryTier(TimeSpan.FromSeconds(1))), p)));
        Assert.Empty(Defaults.RetryTopicPatterns([]));
    }

    [Fact]
    public void RetryTopicOfAnyTopic_ParsesBack_ButOnlyJobTopicsHaveAType()
    {
        Assert.True(Defaults.TryParseRetryTopic("courier.retry.1s.something.else", out var tier, out var retried));
        Assert.Equal(("1s", "something.else"), (tier, retried));
        Assert.False(Defaults.TryParseJobTopic(retried, out _));
    }

    private static TimeSpan TierDelay(string name) => name switch
    {
        "500ms" => TimeSpan.FromMilliseconds(500),
        "1s" => TimeSpan.FromSeconds(1),
        "6m" => TimeSpan.FromMinutes(6),
        _ => TimeSpan.FromDays(1),
    };
}
