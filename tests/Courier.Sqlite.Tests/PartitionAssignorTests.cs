using Courier.Sqlite.Groups;
using Courier.Sqlite.Topics;
using Xunit;

namespace Courier.Sqlite.Tests;

public sealed class PartitionAssignorTests
{
    [Fact]
    public void Assign_SpreadsEvenlyAcrossTopics_AndGivesEveryPartitionToOneMember()
    {
        List<(string, TopicSubscription)> members = [("a", Subscribe("t1", "t2", "t3")), ("b", Subscribe("t1", "t2", "t3")), ("c", Subscribe("t1", "t2", "t3"))];
        var topics = new[] { new TopicDescription("t1", 4), new TopicDescription("t2", 1), new TopicDescription("t3", 1), new TopicDescription("unsubscribed", 3) };

        var assignment = PartitionAssignor.Assign(members, topics);

        Assert.All(assignment.Values, partitions => Assert.Equal(2, partitions.Count));
        var all = assignment.Values.SelectMany(p => p).ToList();
        Assert.Equal(6, all.Distinct().Count());
        Assert.Equal(6, all.Count);
        Assert.DoesNotContain(all, p => p.Topic == "unsubscribed");
    }

    [Fact]
    public void Assign_OnlyGivesATopicToMembersSubscribedToIt()
    {
        var members = new List<(string, TopicSubscription)>
        {
            ("a", TopicSubscription.Create(["jobs"])),
            ("b", TopicSubscription.Create(["^retry\\..*"])),
        };
        var topics = new[] { new TopicDescription("jobs", 2), new TopicDescription("retry.60s", 2) };

        var assignment = PartitionAssignor.Assign(members, topics);

        Assert.All(assignment["a"], p => Assert.Equal("jobs", p.Topic));
        Assert.All(assignment["b"], p => Assert.Equal("retry.60s", p.Topic));
        Assert.Equal(2, assignment["a"].Count);
    }

    [Fact]
    public void Assign_IsAFunctionOfItsInputs()
    {
        List<(string, TopicSubscription)> members = [("m2", Subscribe("t")), ("m1", Subscribe("t"))];
        var topics = new[] { new TopicDescription("t", 5) };
        var once = PartitionAssignor.Assign(members, topics);
        var again = PartitionAssignor.Assign(members, topics);
        Assert.Equal(once["m1"], again["m1"]);
        Assert.Equal(once["m2"], again["m2"]);
    }

    [Fact]
    public void Subscription_RoundTripsThroughItsText()
    {
        var subscription = TopicSubscription.Create(["b", "a", "^c.*", "a"]);
        Assert.Equal("^c.*\na\nb", subscription.Text);
        var parsed = TopicSubscription.Parse(subscription.Text);
        Assert.True(parsed.Matches("a"));
        Assert.True(parsed.Matches("cat"));
        Assert.False(parsed.Matches("dog"));
    }

    private static TopicSubscription Subscribe(params string[] topics) => TopicSubscription.Create(topics);
}
