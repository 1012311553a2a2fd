using Courier.Dispatching.Routing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>A per-job count striped by processor: exact once its writers are done, whatever cores they ran on.</summary>
public sealed class StripedCounterTests
{
    [Fact]
    public void StartsAtZero() => Assert.Equal(0, new StripedCounter().Value);

    [Fact]
    public async Task ManyThreadsCountingInAndOut_LeaveTheExactSum()
    {
        var counter = new StripedCounter();
        const int threads = 8, each = 50_000;
        using var go = new ManualResetEventSlim();
        // Each thread counts up `each` times and down half as often, so a lost or doubled update shows in the sum; the
        // threads move between cores while they run, so ups and downs of one thread land in different cells.
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            go.Wait();
            for (var i = 0; i < each; i++)
            {
                counter.Increment();
                if (i % 2 == 0)
                {
                    counter.Decrement();
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        go.Set();
        await Task.WhenAll(workers);

        Assert.Equal(threads * (each - each / 2), counter.Value);
    }

    [Fact]
    public void ACountTakenOutOnAnotherThread_SumsToZero()
    {
        var counter = new StripedCounter();
        counter.Increment();
        var other = new Thread(counter.Decrement);
        other.Start();
        other.Join();

        Assert.Equal(0, counter.Value);
    }
}
