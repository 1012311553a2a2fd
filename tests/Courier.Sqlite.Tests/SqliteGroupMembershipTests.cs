using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>Group liveness on a fake clock: heartbeats and their expiry follow the log's TimeProvider.</summary>
public sealed class SqliteGroupMembershipTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteJobLog _log = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _log = SqliteJobLog.Open(_directory.File("groups.db"), new SqliteJobLogOptions { TimeProvider = _clock, SessionTimeout = TimeSpan.FromSeconds(10) });
        await _log.EnsureTopicAsync("jobs", 4, Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task ExpiredMember_IsFenced_ItsCommitsAreRejected_AndItRejoinsOnItsNextConsume()
    {
        var revokedFromA = new List<TopicPartition>();
        var assignedToB = new List<TopicPartition>();
        using var a = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a", PartitionsRevoked = revokedFromA.AddRange });
        using var b = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b", PartitionsAssigned = assignedToB.AddRange });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);
        var heldByA = a.Assignment.ToList();

        // a stalls for longer than the session timeout; b's next heartbeat finds it dead.
        _clock.Advance(TimeSpan.FromSeconds(11));
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over a's partitions", [b]);
        Assert.Subset(assignedToB.ToHashSet(), heldByA.ToHashSet());

        var error = Assert.Throws<JobLogException>(() => a.Commit([new TopicPartitionOffset(heldByA[0].Topic, heldByA[0].Partition, 1)]));
        Assert.Contains("no longer a member", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _log.GetCommittedOffsetsAsync("g", heldByA, Token));

        // a comes back: it learns it lost everything, then rejoins and the group splits again.
        Consuming.Until(_ => revokedFromA.Count == 2, "a is told its partitions are gone", [a]);
        Assert.Equal(heldByA.ToHashSet(), revokedFromA.ToHashSet());
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the group splits again", [a, b]);
    }

    [Fact]
    public void Commit_ForAPartitionOwnedByAnotherMember_IsRejected()
    {
        using var a = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a" });
        using var b = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);
        var ofB = b.Assignment.First();

        var error = Assert.Throws<JobLogException>(() => a.Commit([new TopicPartitionOffset(ofB.Topic, ofB.Partition, 3)]));
        Assert.Contains("is not assigned to consumer", error.Message, StringComparison.Ordinal);
        b.Commit([new TopicPartitionOffset(ofB.Topic, ofB.Partition, 3)]);
    }

    [Fact]
    public async Task PatternSubscription_MatchesExistingAndLaterTopics()
    {
        await _log.EnsureTopicAsync("mediawiki.job.refreshLinks", 1, Token);
        await _log.EnsureTopicAsync("other", 1, Token);
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g" });
        consumer.Subscribe([@"^mediawiki\.job\..*"]);
        Consuming.Until(_ => consumer.Assignment.Count == 1, "the matching topic is assigned", [consumer]);

        await _log.EnsureTopicAsync("mediawiki.job.htmlCacheUpdate", 2, Token);
        Consuming.Until(_ => consumer.Assignment.Count == 3, "the new matching topic is assigned", [consumer]);
        Assert.DoesNotContain(consumer.Assignment, p => p.Topic == "other");
    }

    [Fact]
    public void Dispose_WithoutClose_LeavesTheGroupAtOnce()
    {
        using var b = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        var a = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a" });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);
        a.Dispose();
        // No clock advance: b gets a's partitions because a left, not because it expired.
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over", [b]);
    }

    [Fact]
    public void Misuse_FailsWithClearErrors()
    {
        using var noGroup = _log.CreateConsumer(new JobLogConsumerOptions());
        Assert.Contains("GroupId", Assert.Throws<InvalidOperationException>(() => noGroup.Subscribe(["jobs"])).Message, StringComparison.Ordinal);
        Assert.Contains("GroupId", Assert.Throws<InvalidOperationException>(() => noGroup.Commit([new TopicPartitionOffset("jobs", 0, 1)])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => noGroup.Seek(new TopicPartitionOffset("jobs", 0, 0)));

        using var assigned = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "g" });
        assigned.Assign([new TopicPartitionOffset("jobs", 0, 0)]);
        Assert.Throws<InvalidOperationException>(() => assigned.Subscribe(["jobs"]));
        Assert.Throws<ArgumentException>(() => assigned.Assign([new TopicPartitionOffset("bad topic!", 0, 0)]));
    }
}
