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
}
