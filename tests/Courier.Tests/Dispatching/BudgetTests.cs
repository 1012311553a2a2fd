using Courier.Dispatching.Routing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>A type's budget: how many records the consumer thread may hand over, and how many of them may run.</summary>
public sealed class BudgetTests
{
    [Theory]
    [InlineData(64, true, 64 + 1024)] // workers keep records ready beyond the concurrency
    [InlineData(1, true, 1 + 1024)]    // one runs at a time; the rest wait in order (StartsInOrder)
    [InlineData(64, false, 64)]        // a start rate counts at hand-off: nothing handed over ahead of its run
    public void HandOffLimit_FollowsTheConcurrency(int concurrency, bool handOffAhead, int handOff) =>
        Assert.Equal(handOff, new Budget(concurrency, handOffAhead).HandOffLimit);

    [Theory]
    [InlineData(1, true, true)]   // the consumer thread queues its records in order itself
    [InlineData(1, false, false)] // one record handed over at a time: nothing to order
    [InlineData(2, true, false)]  // jobs run side by side: no start order to keep
    public void OnlyALimitOfOne_StartsInOrder(int concurrency, bool handOffAhead, bool inOrder) =>
        Assert.Equal(inOrder, new Budget(concurrency, handOffAhead).StartsInOrder);

    [Fact]
    public void ARuleWithAStartRate_HandsOverNoMoreThanItsConcurrency()
    {
        var limited = new TypeState(new JobRule { Type = "alpha", Concurrency = 8, RateLimit = new RateLimit { PerSecond = 100 } }, "mediawiki.job.alpha", null!);
        var free = new TypeState(new JobRule { Type = "beta", Concurrency = 8 }, "mediawiki.job.beta", null!);

        Assert.Equal(8, limited.Budget.HandOffLimit);
        Assert.Equal(8 + 1024, free.Budget.HandOffLimit);
    }

    [Fact]
    public void RunningSlots_AreBoundedByTheConcurrency_AndFreedOnExit()
    {
        var budget = new Budget(2, handOffAhead: true);

        Assert.True(budget.TryEnter());
        Assert.True(budget.TryEnter());
        Assert.False(budget.TryEnter());
        budget.Exit();
        Assert.True(budget.TryEnter());
        Assert.False(budget.TryEnter());
    }

    [Fact]
    public void SmallRecords_AreHandedOverUpToTheHandOffLimit()
    {
        var budget = new Budget(4, handOffAhead: true);
        var handedOver = HandOverWhileThereIsRoom(budget, bytes: 100);

        Assert.Equal(4 + 1024, handedOver); // 1,028 x 100 bytes is far below the byte bound
    }

    [Fact]
    public void LargeRecords_BeyondTheConcurrency_AreBoundedInBytes()
    {
        // 4 run at once whatever their size; beyond them records are handed over only while those handed over hold
        // less than the bound: 256 KiB records stop at the fourth (4 x 256 KiB = 1 MiB).
        var budget = new Budget(4, handOffAhead: true);
        var handedOver = HandOverWhileThereIsRoom(budget, bytes: 256 * 1024);

        Assert.Equal(4, handedOver);
        budget.Return(256 * 1024); // one finished: 3 are left, 768 KiB
        Assert.True(budget.HasRoom);
        budget.HandOver(4 * 1024 * 1024); // one event of the largest default size
        Assert.False(budget.HasRoom);
    }

    [Fact]
    public void TheConcurrency_IsAlwaysHandedOver_HoweverLargeTheRecords()
    {
        var budget = new Budget(3, handOffAhead: true);
        var handedOver = HandOverWhileThereIsRoom(budget, bytes: 4 * 1024 * 1024);

        Assert.Equal(3, handedOver); // 12 MiB: a rule's concurrency is its own to choose
        Assert.Equal(3L * 4 * 1024 * 1024, budget.InFlightBytes);
    }

    [Fact]
    public void ReturnedRecords_GiveTheirBytesBack()
    {
        var budget = new Budget(2, handOffAhead: true);
        for (var i = 0; i < 10; i++)
        {
            budget.HandOver(300_000);
        }
        Assert.False(budget.HasRoom);
        for (var i = 0; i < 10; i++)
        {
            budget.Return(300_000);
        }

        Assert.Equal(0, budget.InFlight);
        Assert.Equal(0, budget.InFlightBytes);
        Assert.True(budget.HasRoom);
    }

    private static int HandOverWhileThereIsRoom(Budget budget, int bytes)
    {
        var handedOver = 0;
        while (budget.HasRoom && handedOver < 10_000)
        {
            budget.HandOver(bytes);
            handedOver++;
        }
        return handedOver;
    }
}
