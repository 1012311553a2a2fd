using Courier.Dispatching.Execution;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class ThreadCachePoolTests
{
    private sealed class Item;

    [Fact]
    public void TryRent_FindsNothing_InANewPool()
    {
        var pool = new ThreadCachePool<Item>();

        Assert.False(pool.TryRent(out _));
    }

    [Fact]
    public void TryRent_GivesBackEveryObjectReturned_AndEachOnce()
    {
        var pool = new ThreadCachePool<Item>();
        var returned = Enumerable.Range(0, ThreadCachePool<Item>.PerThread * 3).Select(_ => new Item()).ToList();
        foreach (var item in returned)
        {
            pool.Return(item);
        }

        var rented = new List<Item>();
        while (pool.TryRent(out var item))
        {
            rented.Add(item);
        }

        Assert.Equal(returned.Count, rented.Count);
        Assert.Equal(returned.ToHashSet(ReferenceEqualityComparer.Instance), rented.ToHashSet(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void TryRent_OnAnotherThread_FindsWhatOneThreadReturnedBeyondItsCache()
    {
        var pool = new ThreadCachePool<Item>();
        var returned = Enumerable.Range(0, ThreadCachePool<Item>.PerThread + 2).Select(_ => new Item()).ToList();
        RunOnNewThread(() => returned.ForEach(pool.Return));

        var rented = new List<Item>();
        RunOnNewThread(() =>
        {
            while (pool.TryRent(out var item))
            {
                rented.Add(item);
            }
        });

        // The returning thread kept its cache's worth; the two beyond it went to the shared queue.
        Assert.Equal(2, rented.Count);
        Assert.All(rented, item => Assert.Contains(item, returned));
    }

    [Fact]
    public void TwoPoolsOnOneThread_NeverGiveOutEachOthersObjects()
    {
        var first = new ThreadCachePool<Item>();
        var second = new ThreadCachePool<Item>();
        var ofFirst = new Item();
        var ofSecond = new Item();

        RunOnNewThread(() =>
        {
            first.Return(ofFirst);   // the thread's cache is the first pool's now
            second.Return(ofSecond); // the second takes it over: the first's object goes to the first's shared queue

            Assert.True(second.TryRent(out var fromSecond));
            Assert.Same(ofSecond, fromSecond);
            Assert.False(second.TryRent(out _));
            Assert.True(first.TryRent(out var fromFirst));
            Assert.Same(ofFirst, fromFirst);
            Assert.False(first.TryRent(out _));
        });
    }

    [Fact]
    public void APoolThatTakesOverAThreadsCache_LeavesTheFormerOwnerEveryObject()
    {
        var stopped = new ThreadCachePool<Item>();
        var started = new ThreadCachePool<Item>();
        var ofStopped = Enumerable.Range(0, ThreadCachePool<Item>.PerThread).Select(_ => new Item()).ToList();
        var rentedByStarted = new List<Item>();
        var rentedByStopped = new List<Item>();

        RunOnNewThread(() =>
        {
            ofStopped.ForEach(stopped.Return); // a full cache of the first pool's objects
            var item = new Item();
            started.Return(item);
            Assert.True(started.TryRent(out var again));
            Assert.Same(item, again); // the new pool is served from the thread's cache, not from its shared queue
            started.Return(again);
        });
        RunOnNewThread(() =>
        {
            while (started.TryRent(out var item))
            {
                rentedByStarted.Add(item);
            }
            while (stopped.TryRent(out var item))
            {
                rentedByStopped.Add(item);
            }
        });

        Assert.Empty(rentedByStarted); // its one object is in the first thread's cache
        Assert.Equal(ofStopped.ToHashSet(ReferenceEqualityComparer.Instance), rentedByStopped.ToHashSet(ReferenceEqualityComparer.Instance));
    }

    private static void RunOnNewThread(Action action)
    {
        Exception? failed = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // Rethrown on the test's thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failed is not null)
        {
            throw new InvalidOperationException("the thread failed", failed);
        }
    }
}
