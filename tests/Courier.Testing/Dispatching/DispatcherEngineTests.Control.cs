using System.Collections.Concurrent;
using Courier.Dispatching.Control;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Testing;

/// <summary>Pausing and resuming a job type on every dispatcher of a log through the control topic, on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Control_PauseWrittenOnce_PausesEveryDispatcherOfTheLog_AndResumeResumesThemAll()
    {
        await using var h = CreateHarness(Options(Rule("alpha"), Rule("beta")));
        var control = new PauseControl(h.Log, h.CourierOptions.Topics, TimeProvider.System);
        // A pause written before the dispatchers start is in force before their first fetch.
        await control.PauseAsync("alpha", "release 1.2.3 breaks it", "ops@example", Ct);
        var second = new ConcurrentDictionary<string, int>();
        await using var other = SecondDispatcher(h, second);
        await h.StartAsync();
        await other.StartAsync(Ct);

        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 10).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 10).Select(i => new TestParams($"b{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id) && second.ContainsKey(j.Id)), "both dispatchers ran beta");

        foreach (var dispatcher in new[] { h.Dispatcher, other })
        {
            var stats = dispatcher.GetStats().Single(s => s.Type == "alpha");
            Assert.True(stats.Paused);
            Assert.Equal("release 1.2.3 breaks it (by ops@example)", stats.PauseReason);
        }
        Assert.DoesNotContain(h.Executions, e => alpha.Any(j => j.Id == e.Id));
        Assert.DoesNotContain(alpha, j => second.ContainsKey(j.Id));

        await control.ResumeAsync("alpha", "ops@example", Ct);
        await h.WaitUntilAsync(() => alpha.All(j => h.Succeeded.ContainsKey(j.Id) && second.ContainsKey(j.Id)), "both dispatchers ran alpha after the resume");
        await h.WaitIdleAsync();
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.All(alpha.Concat(beta), j => Assert.Equal(1, second[j.Id]));
        Assert.False(other.GetStats().Single(s => s.Type == "alpha").Paused);

        // A later pause reaches running dispatchers too.
        await control.PauseAsync("beta", "second thoughts", "console", Ct);
        await h.WaitUntilAsync(() => new[] { h.Dispatcher, other }.All(d => d.GetStats().Single(s => s.Type == "beta").Paused),
            "both running dispatchers paused beta");
    }

    /// <summary>Another dispatcher on the harness's log, in a group of its own (so it runs every job too), counting successes.</summary>
    private static Dispatcher SecondDispatcher(DispatcherHarness h, ConcurrentDictionary<string, int> succeeded)
    {
        var registry = new JobHandlerRegistry(h.CourierOptions);
        foreach (var type in h.Options.AllJobTypes())
        {
            registry.Add(type, new DelegateHandler<TestParams>((job, _, _) =>
            {
                succeeded.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                return ValueTask.FromResult(JobResult.Success);
            }));
        }
        var options = Options([.. h.Options.Rules]);
        options.GroupId = h.Options.GroupId + "-second";
        return new Dispatcher(h.Log, new InProcessExecutor(registry), options, h.CourierOptions, new CourierTelemetry(),
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }
}
