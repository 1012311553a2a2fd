using Courier.Dispatching.Consuming;
using Courier.Dispatching.Execution;
using Courier.Dispatching.Routing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>
/// Finished jobs on their way back to the consumer thread: each worker thread queues its own, the consumer thread
/// drains them all and gives their records back to the budget; a batch wakes the consumer thread once.
/// </summary>
public sealed class CompletionQueueTests
{
    [Fact]
    public void CompletionsFromManyThreads_AreAllDrained_CompletingTheirOffsets_AndGivingTheirBytesBack()
    {
        using var queue = new CompletionQueue();
        var partition = NewPartition();
        const int PerThread = 20_000, Threads = 4;
        for (var offset = 0L; offset < PerThread * Threads; offset++)
        {
            partition.Tracker.Add(offset);
            partition.Budget.HandOver(100);
            queue.Started(partition);
        }

        using var ready = new Barrier(Threads + 1);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            ready.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                queue.Finished(partition, (long)t * PerThread + i, done: true, handedOverBytes: 100);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        ready.SignalAndWait(TestContext.Current.CancellationToken);
        while (workers.Any(w => w.IsAlive))
        {
            queue.Drain(); // the consumer thread drains while the workers still queue
        }
        queue.Drain();

        Assert.Equal(0, queue.InFlight);
        Assert.Equal(0, partition.InFlight);
        Assert.Equal(0, partition.Budget.InFlight);
        Assert.Equal(0, partition.Budget.InFlightBytes);
        Assert.Equal(PerThread * Threads, partition.Tracker.CommittableOffset);
    }

    [Fact]
    public void AJobWhoseSlotGaveItsRecordBackEarly_IsNotGivenBackTwice()
    {
        using var queue = new CompletionQueue();
        var partition = NewPartition();
        partition.Budget.HandOver(500);
        queue.Started(partition);
        var pool = new JobSlot.Pool();
        var slot = pool.Rent(partition, 500, queue);
        Assert.True(partition.Budget.TryEnter());
        partition.Route.Type.InFlight.Increment();

        slot.Free(); // the handler is done; its outcome's log write is awaited
        Assert.Equal(0, partition.Budget.InFlight); // given back at once: the consumer may hand over another
        queue.Finished(partition, 0, done: false, pool.Return(slot));
        queue.Drain();

        Assert.Equal(0, partition.Budget.InFlight);
        Assert.Equal(0, partition.Budget.InFlightBytes);
        Assert.Equal(0, queue.InFlight);
    }

    [Fact]
    public void InsideABatch_TheConsumerThreadIsWokenOnceAtTheEnd()
    {
        using var queue = new CompletionQueue();
        var partition = NewPartition();
        for (var i = 0; i < 3; i++)
        {
            partition.Budget.HandOver(10);
            queue.Started(partition);
        }

        using (CompletionQueue.Batch())
        {
            queue.Finished(partition, 0, done: false, handedOverBytes: 10);
            queue.Finished(partition, 1, done: false, handedOverBytes: 10);
            Assert.False(IsWoken(queue)); // held back until the batch ends
        }
        Assert.True(IsWoken(queue));

        queue.Drain();
        Assert.False(IsWoken(queue));
        queue.Finished(partition, 2, done: false, handedOverBytes: 10); // outside a batch: at once
        Assert.True(IsWoken(queue));
        queue.Drain();
        Assert.Equal(0, queue.InFlight);
    }

    private static bool IsWoken(CompletionQueue queue) => queue.Wait(TimeSpan.Zero);

    private static PartitionState NewPartition()
    {
        var type = new TypeState(new JobRule { Type = "alpha", Concurrency = 4 }, "mediawiki.job.alpha", null!);
        return new PartitionState(new TopicPartition("mediawiki.job.alpha", 0), new TopicRoute(type, RouteKind.Job));
    }
}
