using Xunit;

namespace Courier.Testing;

/// <summary>Claim TTLs: jobs too old when reached are abandoned, counted, never run (no state store needed).</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task ClaimTtl_AbandonsJobsOlderThanTheRuleAllows_CountingFromDelayUntilForDelayedJobs()
    {
        var rule = Rule("alpha", concurrency: 1);
        rule.ClaimTtl = TimeSpan.FromMinutes(30);
        rule.RootClaimTtl = TimeSpan.FromDays(7);
        var clock = new JumpClock();
        await using var h = CreateHarness(Options(rule), partitions: 1, time: clock);
        // The dispatcher reaches the first three an hour after they were made (its clock is an hour ahead of theirs).
        clock.Jump(TimeSpan.FromHours(1));
        var now = DateTimeOffset.UtcNow;
        var jobs = await h.Client.EnqueueBatchAsync(
        [
            Plain("stale"),
            // Due 59 minutes after it was made: 1 minute old when it comes due, not 59.
            new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams("delayed"), DelayUntil = now.AddMinutes(59) },
            Plain("old root", root: new RootEvent("refresh:Main", now.AddDays(-8))),
        ], Ct);
        using var onTime = new CourierClient(h.Log, h.CourierOptions, h.Telemetry, clock);
        await onTime.EnqueueAsync(Plain("fresh", root: new RootEvent("refresh:Main", clock.GetUtcNow().AddDays(-1))), Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, h.Executions.Count);
        Assert.Contains(jobs[1].Id, h.Executions.Select(e => e.Id));
        Assert.DoesNotContain(jobs[0].Id, h.Executions.Select(e => e.Id));
        Assert.DoesNotContain(jobs[2].Id, h.Executions.Select(e => e.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((4L, 2L, 2L, 0L), (stats.Started, stats.Succeeded, stats.Abandoned, stats.Pending));
    }
}
