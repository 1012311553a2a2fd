using Courier.Batching;
using Xunit;

namespace Courier.Tests.Batching;

public sealed class GroupCommitQueueTests
{
    [Fact]
    public async Task TryAdd_CompletesEachItem_OnceItsBatchIsWritten_InOrder()
    {
        var written = new List<int>();
        await using var queue = new GroupCommitQueue<int>(maxBatch: 4, batch => { lock (written) { written.AddRange(batch); } });

        var tasks = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(queue.TryAdd(i, out var done));
            tasks.Add(done);
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        lock (written)
        {
            Assert.Equal(Enumerable.Range(0, 10), written);
        }
    }

    [Fact]
    public async Task AFailedWrite_FailsEveryItemOfItsBatch_WithTheDescribedError_AndTheLoopGoesOn()
    {
        var fail = true;
        await using var queue = new GroupCommitQueue<int>(maxBatch: 100,
            _ => { if (fail) { throw new IOException("disk full"); } },
            e => new InvalidOperationException("inbox write failed: " + e.Message, e));

        Assert.True(queue.TryAdd(1, out var first));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.Equal("inbox write failed: disk full", error.Message);

        fail = false;
        Assert.True(queue.TryAdd(2, out var second));
        await second.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task DisposeAsync_WritesWhatIsQueued_ThenRefusesMore()
    {
        var count = 0;
        var queue = new GroupCommitQueue<int>(maxBatch: 2, batch => Interlocked.Add(ref count, batch.Count));
        Assert.True(queue.TryAdd(1, out var a));
        Assert.True(queue.TryAdd(2, out var b));
        Assert.True(queue.TryAdd(3, out var c));

        await queue.DisposeAsync();

        Assert.True(a.IsCompletedSuccessfully && b.IsCompletedSuccessfully && c.IsCompletedSuccessfully);
        Assert.Equal(3, count);
        Assert.False(queue.TryAdd(4, out _));
    }
}
