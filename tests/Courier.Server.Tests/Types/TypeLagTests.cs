using Courier.Server.Types;
using Xunit;

namespace Courier.Server.Tests.Types;

/// <summary>Which job type a consumed topic's lag counts for.</summary>
public sealed class TypeLagTests
{
    [Fact]
    public void TheJobTopic_ItsRetryTiers_AndItsPartitionedTopic_CountForTheType_OthersForNone()
    {
        var names = new TopicNames();
        var jobTopic = names.JobTopic("refreshLinks");

        Assert.Equal("refreshLinks", TypeLag.TypeOf(names, jobTopic));
        Assert.Equal("refreshLinks", TypeLag.TypeOf(names, names.RetryTopic(jobTopic, new RetryTier(TimeSpan.FromMinutes(5)))));
        Assert.Equal("refreshLinks", TypeLag.TypeOf(names, names.PartitionedTopic(jobTopic)));
        Assert.Equal("refreshLinks", TypeLag.TypeOf(names, names.RetryTopic(names.PartitionedTopic(jobTopic), new RetryTier(TimeSpan.FromSeconds(30)))));
        Assert.Null(TypeLag.TypeOf(names, names.ErrorTopic));
        Assert.Null(TypeLag.TypeOf(names, "other.topic"));
    }
}
