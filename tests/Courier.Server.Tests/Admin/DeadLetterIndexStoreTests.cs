using Courier.Server.Admin;
using Courier.Server.Admin.Index;
using Xunit;

namespace Courier.Server.Tests.Admin;

/// <summary>The index file itself: counts kept with inserts and retention, a rebuild for another error topic.</summary>
public sealed class DeadLetterIndexStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PruneBelowTheLowWatermark_DropsRowsAndTheirCounts_AndAnotherErrorTopicStartsEmpty()
    {
        var path = _dir.File(DeadLetterIndex.FileName);
        var index = DeadLetterIndex.Open(path, "courier.error");
        var rows = Enumerable.Range(0, 10).Select(i => new IndexedRow
        {
            Partition = i % 2, Offset = i / 2, TimestampMs = 1_000 + i, JobType = i < 6 ? "alpha" : "beta", Class = "permanent", Attempts = 1,
        }).ToList();
        var next = new Dictionary<TopicPartition, long> { [new("courier.error", 0)] = 5, [new("courier.error", 1)] = 5 };
        index.Write(rows, [new IndexedReplay(0, 4, "mediawiki.job.beta", null)], next);
        index.Write(rows, [], next); // read again after a crash: nothing counted twice

        Assert.Equal(10, index.Count(IndexFilter.Of(DeadLetterFilter.All)));
        Assert.Equal(6, index.Count(IndexFilter.Of(new DeadLetterFilter("alpha"))));
        Assert.Equal(9, index.Count(new IndexFilter(null, null, null, null, Unreplayed: true)));

        // Retention removed offsets 0..2 of partition 0 (alpha at 0, 2 and 4 of the rows: i = 0, 2, 4).
        Assert.Equal(3, index.Prune(0, 3));
        Assert.Equal(7, index.Count(IndexFilter.Of(DeadLetterFilter.All)));
        Assert.Equal(3, index.Count(IndexFilter.Of(new DeadLetterFilter("alpha"))));
        Assert.Equal(7, index.Page(IndexFilter.Of(DeadLetterFilter.All), null, 100).Count);

        var other = DeadLetterIndex.Open(path, "other.error");
        Assert.Equal(0, other.Count(IndexFilter.Of(DeadLetterFilter.All)));
        Assert.Empty(other.Progress());
    }
}
