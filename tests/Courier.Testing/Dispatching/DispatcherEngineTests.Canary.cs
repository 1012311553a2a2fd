using Courier.Canaries;
using Xunit;

namespace Courier.Testing;

/// <summary>Canary releases of runners (<see cref="CanaryOptions"/>) on real runners, on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Canary_FailingEveryJobOfOneType_IsRolledBackByTheGate_AndEveryJobRunsOnceOnStable_WithoutSpendingAttempts()
    {
        await using var stable = await ReleaseRunner.StartAsync("r1", ["alpha", "beta"]);
        await using var canary = await ReleaseRunner.StartAsync("r2", ["alpha", "beta"],
            (job, _) => job.Type == "alpha" ? JobResult.Fail("alpha broke in r2") : JobResult.Success);
        var options = PoolWithCanary(stable, new CanaryOptions
        {
            Urls = [canary.BaseUrl],
            Steps = [50, 100],
            StepAfter = TimeSpan.FromDays(1), // never promoted here
            Gate = { MinSamples = 5 },
        });
        await using var h = CreateHarness(options);
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 60).Select(i => new TestParams($"a{i}")));
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 60).Select(i => new TestParams($"b{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        var status = Assert.Single(h.Dispatcher.GetCanaries());
        Assert.Equal(CanaryState.RolledBack, status.State);
        Assert.Equal(0, status.Weight);
        Assert.Equal("r2", status.Release);
        Assert.Contains("gate", status.Verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(["alpha"], status.Verdict.Types);
        Assert.Contains(status.TopErrors, e => e.Contains("alpha broke in r2", StringComparison.Ordinal));
        Assert.Equal([CanaryState.Judging, CanaryState.RolledBack], status.History.Select(t => t.State));
        // The gate really judged: min samples ran on the canary (alpha's failing among them) before the rollback.
        Assert.True(status.Canary.Attempts >= 5, $"{status.Canary.Attempts} canary attempts");
        Assert.InRange(canary.Executions.Count(e => e.Type == "alpha"), 1, 59);

        var alphaOnStable = stable.Executions.Where(e => e.Type == "alpha").ToList();
        Assert.Equal(alpha.Select(j => j.Id).Order(), alphaOnStable.Select(e => e.Id).Order()); // each once on stable
        Assert.All(alphaOnStable, e => Assert.Equal(1, e.Attempt)); // a held failure spends no attempt
        var betaRuns = stable.Executions.Concat(canary.Executions).Where(e => e.Type == "beta").Select(e => e.Id);
        Assert.Equal(beta.Select(j => j.Id).Order(), betaRuns.Order());
        Assert.Empty(await h.ReadDeadLettersAsync());
        var alphaStats = Stats(h, "alpha");
        Assert.Equal(canary.Executions.Count(e => e.Type == "alpha"), alphaStats.Held);
        Assert.Equal(0, alphaStats.Retried);
        Assert.Equal(60, alphaStats.Succeeded);
    }

    [Fact]
    public async Task Canary_Healthy_IsPromotedThroughTheSteps_ToPromoted()
    {
        await using var stable = await ReleaseRunner.StartAsync("r1", ["alpha"]);
        await using var canary = await ReleaseRunner.StartAsync("r2", ["alpha"]);
        var options = PoolWithCanary(stable, new CanaryOptions
        {
            Urls = [canary.BaseUrl],
            Steps = [10, 50, 100],
            StepAfter = TimeSpan.FromTicks(1), // a step is promoted by its samples: the test waits on states, not time
            Gate = { MinSamples = 3 },
        });
        await using var h = CreateHarness(options);
        await h.StartAsync();
        var jobs = new List<EnqueuedJob>();
        for (var wave = 0; h.Dispatcher.GetCanaries().Single().State != CanaryState.Promoted; wave++)
        {
            Assert.True(wave < 50, "the healthy canary was never promoted: " + h.Dispatcher.GetCanaries().Single().Verdict.Reason);
            jobs.AddRange(await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"w{wave}-{i}"))));
            await h.WaitIdleAsync();
        }

        var status = h.Dispatcher.GetCanaries().Single();
        Assert.Equal([(CanaryState.Judging, 10), (CanaryState.Promoting, 50), (CanaryState.Promoted, 100)],
            status.History.Select(t => (t.State, t.Weight)));
        Assert.Equal(100, status.Weight);
        Assert.All(status.History.Skip(1), t => Assert.StartsWith("passing", t.Reason, StringComparison.Ordinal));
        var runs = stable.Executions.Concat(canary.Executions).Select(e => e.Id).ToList();
        Assert.Equal(jobs.Select(j => j.Id).Order(), runs.Order());
        Assert.NotEmpty(stable.Executions);
        Assert.NotEmpty(canary.Executions);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Canary_SlicedByDatabase_KeepsEachWikiOnOneSide_AndListedWikisOnTheCanary()
    {
        await using var stable = await ReleaseRunner.StartAsync("r1", ["alpha"]);
        await using var canary = await ReleaseRunner.StartAsync("r2", ["alpha"]);
        var options = PoolWithCanary(stable, new CanaryOptions
        {
            Urls = [canary.BaseUrl],
            Slice = CanarySliceKind.Database,
            Databases = ["testwiki"],
            Steps = [30, 100],
            StepAfter = TimeSpan.FromDays(1),
        });
        await using var h = CreateHarness(options);
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 120).Select(i => new TestParams($"j{i}")),
            i => i % 12 == 0 ? "testwiki" : $"wiki{i % 12}");
        await h.StartAsync();
        await h.WaitIdleAsync();

        var sides = stable.Executions.Select(e => (e.Database, Canary: false)).Concat(canary.Executions.Select(e => (e.Database, Canary: true)))
            .GroupBy(e => e.Database).ToDictionary(g => g.Key!, g => g.Select(e => e.Canary).Distinct().ToList());
        Assert.Equal(12, sides.Count);
        Assert.All(sides, wiki => Assert.Single(wiki.Value)); // every job of a wiki on one side
        Assert.Equal([true], sides["testwiki"]);
        Assert.Contains(sides.Values, s => !s[0]);
        Assert.True(sides.Count(s => s.Value[0]) > 1, "some wiki besides testwiki falls in the canary's 30 %");
        Assert.Equal(jobs.Count, stable.Executions.Count + canary.Executions.Count);
    }

    [Fact]
    public async Task Canary_Probes_AlternateBetweenTheSides_WhateverTheWeight()
    {
        await using var stable = await ReleaseRunner.StartAsync("r1", ["alpha"]);
        await using var canary = await ReleaseRunner.StartAsync("r2", ["alpha"]);
        var options = PoolWithCanary(stable, new CanaryOptions { Urls = [canary.BaseUrl], Steps = [1, 100], StepAfter = TimeSpan.FromDays(1) });
        await using var h = CreateHarness(options);
        await h.ProduceJobsAsync("alpha", 0, Enumerable.Range(0, 10).Select(i => new TestParams($"probe{i}")),
            [new LogHeader(CourierHeaders.Probe, "1"u8.ToArray())]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        // At 1 %, only the probes' alternation sends this many to the canary. The runners answer probes without running
        // their handlers (ProbeHandling.Skip), so the attempts are counted by the canary's own window.
        var status = h.Dispatcher.GetCanaries().Single();
        Assert.Equal((5L, 5L), (status.Stable.Attempts, status.Canary.Attempts));
        Assert.Equal(10, h.Dispatcher.GetStats().Single(s => s.Type == "alpha").ProbesSucceeded);
    }

    /// <summary>Rules alpha and beta on a pool of <paramref name="stable"/> with the canary <paramref name="options"/>.</summary>
    private static DispatcherOptions PoolWithCanary(ReleaseRunner stable, CanaryOptions options)
    {
        var pool = stable.Pool();
        pool.Canary = options;
        var dispatcher = Options(RuleOn("alpha"), RuleOn("beta"));
        dispatcher.RunnerPools.Add(pool);
        return dispatcher;
    }

    private static JobRule RuleOn(string type, string pool = "pool")
    {
        var rule = Rule(type);
        rule.Runner = pool;
        return rule;
    }
}
