using Xunit;

namespace Courier.Testing;

/// <summary>What a dispatcher subscribes to: every retry topic of its own types, and no other type's.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Retry_WaitingInATierTheNextDispatcherDoesNotConfigure_StillRuns()
    {
        // The first dispatcher retries through a 50 ms tier and holds the retry there (its type paused), then stops.
        await using var h = CreateHarnessHoldingRetries(Options(Rule("alpha")), "alpha");
        var job = await StartWithOneRetryHeldAsync(h, "alpha");
        await h.Dispatcher.StopAsync(Ct);

        // Its successor in the group was configured with an 80 ms tier only: the 50 ms tier is no route of its own.
        var options = Options(Rule("alpha"));
        options.RetryTiers.Clear();
        options.Rules[0].Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(80), Factor = 1 };
        var successor = h.CreatePeer(options);
        Assert.DoesNotContain(successor.RetryTiers, t => t.Delay == TimeSpan.FromMilliseconds(50));
        await successor.StartAsync(Ct);
        await h.WaitUntilAsync(() => h.Succeeded.ContainsKey(job.Id), "the successor ran the retry from the 50 ms tier");
        await DispatcherIdle.WaitAsync(successor);

        Assert.Equal([(job.Id, 1), (job.Id, 2)], h.Executions.Order());
        var stats = successor.GetStats().Single(s => s.Type == "alpha");
        Assert.Equal((1, 1), (stats.Executions, stats.Succeeded));
    }

    [Fact]
    public async Task Retries_OfEachType_RunOnTheDispatcherGoverningIt_WhenDispatchersWithOtherRulesShareTheGroup()
    {
        // Two dispatchers in one group with different rules: each is assigned only its own types' topics, retry tiers
        // included. (One subscribed to every type's retry topics was assigned some of the other's and left them unread.)
        // The harness's own dispatcher stays stopped; it only provides the log and the handlers of both types.
        await using var h = CreateHarness(Options(Rule("alpha"), Rule("beta")));
        var first = h.CreatePeer(Options(Rule("alpha")));
        var second = h.CreatePeer(Options(Rule("beta")));
        await first.StartAsync(Ct);
        await second.StartAsync(Ct);
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 24).Select(i => new TestParams($"a{i}", FailAttempts: 1)), i => $"wiki{i}");
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 24).Select(i => new TestParams($"b{i}", FailAttempts: 1)), i => $"wiki{i}");
        await h.WaitUntilAsync(() => h.Succeeded.Count == 48, "every alpha and beta job succeeded at its retry");
        await DispatcherIdle.WaitAsync(first);
        await DispatcherIdle.WaitAsync(second);

        Assert.Equal(alpha.Concat(beta).Select(j => j.Id).Order(), h.Succeeded.Keys.Order());
        foreach (var (dispatcher, type) in new[] { (first, "alpha"), (second, "beta") })
        {
            var stats = Assert.Single(dispatcher.GetStats());
            Assert.Equal((type, 24, 24, 24), (stats.Type, stats.Started, stats.Retried, stats.Succeeded));
            // Each job failed once and succeeded once; the second dispatcher's joining may have had a job's attempt read
            // again from its partition's last commit, which at-least-once allows.
            Assert.InRange(stats.Executions, 48, 96);
        }
        Assert.All(h.Executions, e => Assert.InRange(e.Attempt, 1, 2));
    }
}
