using Courier.Testing;
using CsCheck;
using Courier.Dispatching.Routing;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class RetryScheduleTests
{
    [Fact]
    public void RetryPolicy_DefaultsFollowTheOriginal_OneMinuteThenSix()
    {
        var policy = new RetryPolicy();
        Assert.Equal(2, policy.Limit);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.DelayFor(1));
        Assert.Equal(TimeSpan.FromMinutes(6), policy.DelayFor(2));
    }

    [Fact]
    public void JobRule_LimitZeroMeansNoRetries_NotTheDefault()
    {
        var options = new DispatcherOptions { Rules = { new JobRule { Type = "t", Retry = new RetryPolicy { Limit = 0 } } } };
        options.Validate();
        Assert.Equal(0, options.RuleFor("t").Retry.Limit);
    }

    [Fact]
    public void RetryTierSet_HasATierForEveryRuleDelay()
    {
        var rule = new JobRule { Type = "t", Retry = new RetryPolicy { Limit = 3, Delay = TimeSpan.FromSeconds(7), Factor = 3 } };
        var tiers = new RetryTierSet(new DispatcherOptions(), [rule]);
        foreach (var retry in new[] { 1, 2, 3 })
        {
            Assert.Equal(rule.Retry.DelayFor(retry), tiers.For(rule.Retry.DelayFor(retry)).Delay);
        }
    }

    [Fact]
    public void RetryTierSet_NeverPicksATierLongerThanTheDelay_UnlessBelowTheSmallest()
    {
        var tiers = new RetryTierSet(new DispatcherOptions(), []);
        Gen.Long[0, TimeSpan.FromDays(2).Ticks].Sample(ticks =>
        {
            var delay = TimeSpan.FromTicks(ticks);
            var tier = tiers.For(delay);
            if (delay >= tiers.Tiers[0].Delay)
            {
                Assert.True(tier.Delay <= delay);
                Assert.DoesNotContain(tiers.Tiers, t => t.Delay <= delay && t.Delay > tier.Delay);
            }
            else
            {
                Assert.Equal(tiers.Tiers[0], tier);
            }
        });
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(1000, "1s")]
    [InlineData(90_000, "90s")]
    [InlineData(360_000, "6m")]
    [InlineData(7_200_000, "2h")]
    [InlineData(86_400_000, "1d")]
    public void RetryTier_NamesAreCompact(int milliseconds, string name) =>
        Assert.Equal(name, new RetryTier(TimeSpan.FromMilliseconds(milliseconds)).Name);

    [Fact]
    public void TopicNames_RetryTopicKeepsTheJobTopicAsSuffix() =>
        Assert.Equal("courier.retry.6m.mediawiki.job.refreshLinks",
            new TopicNames().RetryTopic("mediawiki.job.refreshLinks", new RetryTier(TimeSpan.FromMinutes(6))));
}
