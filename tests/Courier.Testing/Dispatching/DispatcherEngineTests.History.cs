using Courier.Dispatching.History;
using Xunit;

namespace Courier.Testing;

/// <summary>The dispatcher's outcome history (<see cref="Dispatcher.History"/>, read by <c>courier check</c>), on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task History_CountsEveryOutcomeByTheReleaseThatRanIt_AndWhenEachReleaseWasFirstSeen()
    {
        await using var h = CreateHarness(Options(Rule("alpha", limit: 0)), async (job, context, ct) =>
        {
            var result = await DispatcherHarness.DefaultBehaviour(job, context, ct);
            return job.Params.Fail is null ? result : result with { Release = "v2" };
        });
        await h.StartAsync();
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 6).Select(i => new TestParams($"ok{i}")));
        await h.WaitIdleAsync();
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 4).Select(i => new TestParams($"bad{i}", Fail: "broken in v2")));
        await h.WaitIdleAsync();

        var tallies = h.Dispatcher.History.Tally(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

        var ours = Assert.Single(tallies, t => t.Release == h.CourierOptions.Release);
        Assert.Equal(("alpha", 6L, 0L), (ours.Type, ours.Attempts, ours.Failures));
        var v2 = Assert.Single(tallies, t => t.Release == "v2");
        Assert.Equal((4L, 4L, 4L), (v2.Attempts, v2.Failures, v2.Outcomes["dead_lettered"]));
        Assert.Equal(new ErrorCount("broken in v2", 4), Assert.Single(v2.TopErrors));
        Assert.True(h.Dispatcher.History.Releases[h.CourierOptions.Release] <= h.Dispatcher.History.Releases["v2"]);
    }
}
