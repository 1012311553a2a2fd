using Courier.Testing;
using CsCheck;
using Courier.Dispatching.Consuming;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class OffsetTrackerTests
{
    [Fact]
    public void OffsetTracker_CommitsOnlyContiguousPrefix_WhenJobsFinishOutOfOrder()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12, 13 })
        {
            tracker.Add(offset);
        }
        Assert.Equal(10, tracker.CommittableOffset);
        tracker.Complete(12);
        tracker.Complete(11);
        Assert.Equal(10, tracker.CommittableOffset); // 10 is still running
        tracker.Complete(10);
        Assert.Equal(13, tracker.CommittableOffset);
        tracker.Complete(13);
        Assert.Equal(14, tracker.CommittableOffset);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void OffsetTracker_RewindsToParkedRecord_WhenLastIsRemoved()
    {
        var tracker = new OffsetTracker();
        tracker.Add(0);
        tracker.Add(1);
        tracker.Complete(0);
        Assert.True(tracker.RemoveLast(1));
        Assert.Equal(1, tracker.CommittableOffset);
        tracker.Add(1);
        Assert.Equal(1, tracker.CommittableOffset);
    }

    [Fact]
    public void OffsetTracker_RejectsDecreasingOffsets()
    {
        var tracker = new OffsetTracker();
        tracker.Add(5);
        Assert.Throws<InvalidOperationException>(() => tracker.Add(4));
    }

    [Fact]
    public void OffsetTracker_WatermarkNeverPassesAnInFlightJob_ForAnyCompletionOrder()
    {
        // Offsets with random gaps (Kafka offsets need not be dense), completed in a random order interleaved with
        // new records; after every step the committable offset is exactly the smallest in-flight offset, or one
        // past the last record when none is in flight.
        var scenario =
            from gaps in Gen.Int[1, 3].Array[1, 300]
            from seed in Gen.Int
            select (gaps, seed);
        scenario.Sample(s =>
        {
            var random = new Random(s.seed);
            var tracker = new OffsetTracker();
            var inFlight = new SortedSet<long>();
            long offset = random.Next(0, 1000);
            var next = 0;
            while (next < s.gaps.Length || inFlight.Count > 0)
            {
                if (next < s.gaps.Length && (inFlight.Count == 0 || random.Next(2) == 0))
                {
                    offset += s.gaps[next++];
                    tracker.Add(offset);
                    inFlight.Add(offset);
                }
                else
                {
                    var done = inFlight.ElementAt(random.Next(inFlight.Count));
                    Assert.True(tracker.Complete(done));
                    inFlight.Remove(done);
                }
                var expected = inFlight.Count > 0 ? inFlight.Min : offset + 1;
                Assert.Equal(expected, tracker.CommittableOffset);
                Assert.Equal(inFlight.Count == 0, tracker.Pending == 0);
            }
        }, iter: 300);
    }
}
