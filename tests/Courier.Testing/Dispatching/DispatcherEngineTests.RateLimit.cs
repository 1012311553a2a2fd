using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Rate limits (<see cref="JobRule.RateLimit"/>), on every engine. The dispatcher runs on a frozen
/// <see cref="FakeTimeProvider"/>: a one-second window ends only when the test moves the clock, and starts are counted
/// per window from the clock's time at each execution.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    private static readonly DateTimeOffset RateStart = new(2026, 1, 1, 0, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public async Task RateLimit_PerSecond_StartsAtMostTheLimitPerWindow_AndDoesNotSlowAnotherType()
    {
        var clock = new FakeTimeProvider(RateStart);
        var starts = new ConcurrentQueue<(string Type, long Second)>();
        await using var h = CreateHarness(Options(Limited(Rule("alpha"), perSecond: 3), Rule("beta")), Recording(clock, starts), time: clock);
        var alpha = await h.EnqueueAsync("alpha", Enumerable.Range(0, 8).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        await h.StartAsync();
        await h.WaitUntilAsync(() => starts.Count(s => s.Type == "alpha") == 3, "alpha's first window filled");
        var beta = await h.EnqueueAsync("beta", Enumerable.Range(0, 20).Select(i => new TestParams($"b{i}")), i => $"wiki{i % 4}");
        await h.WaitUntilAsync(() => beta.All(j => h.Succeeded.ContainsKey(j.Id)), "beta's jobs all ran while alpha waited for its window");

        Assert.Equal(3, starts.Count(s => s.Type == "alpha")); // the clock has not moved: no more of alpha started
        Assert.Equal(0, Stats(h, "alpha").InFlight); // waiting for the window holds no worker
        for (var window = 2; window <= 3; window++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var expected = Math.Min(8, 3 * window);
            await h.WaitUntilAsync(() => starts.Count(s => s.Type == "alpha") == expected, $"alpha's window {window} filled");
        }
        await h.WaitUntilAsync(() => alpha.All(j => h.Succeeded.ContainsKey(j.Id)), "alpha's jobs all ran");

        Assert.Equal([3, 3, 2], starts.Where(s => s.Type == "alpha").GroupBy(s => s.Second).OrderBy(g => g.Key).Select(g => g.Count()));
        AssertRanExactlyOnce(h, alpha.Concat(beta));
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task RateLimit_PerSecond_IsSharedByTheDispatchersOnOneStore()
    {
        var clock = new FakeTimeProvider(RateStart);
        var starts = new ConcurrentQueue<(string Type, long Second)>();
        // Deduplication off: the two dispatchers read the same records, and by event id the second would skip every job
        // the first ran after spending a start of the shared window on it (which is what sharing a store means).
        var options = Options(Unduplicated(Limited(Rule("alpha"), perSecond: 3)));
        CountingStateStore? counted = null;
        await using var h = CreateHarness(options, Recording(clock, starts), time: clock, wrapStore: store => counted = new CountingStateStore(store));
        SkipWithoutStore(h);
        // A second dispatcher in another group reads every job too: both compete for alpha's one window.
        var other = Options(Unduplicated(Limited(Rule("alpha"), perSecond: 3)));
        other.GroupId = "other-dispatcher";
        var peer = h.CreatePeer(other);
        await h.EnqueueAsync("alpha", Enumerable.Range(0, 10).Select(i => new TestParams($"a{i}")), i => $"wiki{i % 4}");
        await h.StartAsync();
        await peer.StartAsync(Ct);
        var window = $"rate:alpha:{RateStart.ToUnixTimeSeconds()}";
        // More than three asked for the window (a refused ask uncounts itself): it is spent, so no start can follow in it.
        await h.WaitUntilAsync(() => counted!.Count("increment", k => k == window) > 3 && starts.Count == 3,
            "the shared window was spent and its three starts ran");

        Assert.Equal(3, starts.Count); // not three per dispatcher
        clock.Advance(TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => starts.Count == 6, "the next window's three starts ran");
        Assert.Equal([3, 3], starts.GroupBy(s => s.Second).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public async Task RateLimit_PerSecond_AStartOfAJobThatDoesNotRun_IsGivenBack_SoEachWindowRunsTheLimit()
    {
        var clock = new FakeTimeProvider(RateStart);
        var starts = new ConcurrentQueue<(string Type, long Second)>();
        // One at a time on one partition: each job's copy is read after the job's outcome is durable, so it ends
        // deduplicated by event id, having spent a start of the window unless the start is given back.
        await using var h = CreateHarness(Options(Limited(Rule("alpha", concurrency: 1), perSecond: 3)), Recording(clock, starts),
            partitions: 1, time: clock);
        SkipWithoutStore(h);
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid().ToString()).ToList();
        await h.Client.EnqueueBatchAsync([.. ids.SelectMany(id => new[] { Copy(id), Copy(id) })], Ct);
        await h.StartAsync();
        await h.WaitUntilAsync(() => starts.Count == 3, "the first window ran three jobs");
        clock.Advance(TimeSpan.FromSeconds(1));
        await h.WaitUntilAsync(() => starts.Count == 6, "the second window ran three jobs");
        clock.Advance(TimeSpan.FromSeconds(1)); // the last copy's start
        await h.WaitUntilAsync(() => Stats(h, "alpha").Deduplicated == 6, "every copy ended deduplicated");

        Assert.Equal([3, 3], starts.GroupBy(s => s.Second).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(ids, h.Executions.Select(e => e.Id));
        Assert.Equal((6L, 6L), (Stats(h, "alpha").Succeeded, Stats(h, "alpha").Deduplicated));

        static JobRequest Copy(string id) => new() { Type = "alpha", Database = "testwiki", Params = new TestParams(id), Id = id };
    }

    [Fact]
    public async Task RateLimit_PerDatabase_ABusyDatabaseWaitsInARetryTier_WithoutBlockingOtherDatabases()
    {
        var clock = new FakeTimeProvider(RateStart);
        var databases = new ConcurrentQueue<(string Id, long Second)>();
        var rule = Limited(Rule("alpha", concurrency: 2), perDatabase: 2);
        await using var h = CreateHarness(Options(rule), async (job, context, ct) =>
        {
            databases.Enqueue((job.Id, clock.GetUtcNow().ToUnixTimeSeconds()));
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        }, partitions: 1, time: clock);
        // Six jobs of one busy wiki ahead of two of a quiet one, all on one partition: the quiet ones are behind them.
        var hot = await h.EnqueueAsync("alpha", Enumerable.Range(0, 6).Select(i => new TestParams($"hot{i}")), _ => "hotwiki");
        var quiet = await h.EnqueueAsync("alpha", Enumerable.Range(0, 2).Select(i => new TestParams($"quiet{i}")), _ => "quietwiki");
        await h.StartAsync();
        await h.WaitUntilAsync(() => quiet.All(j => h.Succeeded.ContainsKey(j.Id)), "the quiet wiki's jobs ran while the busy one's waited");

        Assert.Equal(2, hot.Count(j => h.Succeeded.ContainsKey(j.Id))); // its budget for this second
        Assert.Equal(0, Stats(h, "alpha").InFlight); // the waiting jobs hold none of the type's two slots
        var waited = 0;
        for (var window = 2; window <= 3; window++)
        {
            // The busy wiki's jobs left over from the last window must be back in their retry tier, due at its end,
            // before the clock moves on: one written after the move would be due a window later, and never run here.
            waited += 6 - 2 * (window - 1);
            var records = waited;
            await h.WaitUntilAsync(async () => await RetryRecordsAsync(h) == records, $"the busy wiki's jobs left after window {window - 1} waited");
            clock.Advance(TimeSpan.FromSeconds(1));
            var expected = 2 * window;
            await h.WaitUntilAsync(() => hot.Count(j => h.Succeeded.ContainsKey(j.Id)) == expected, $"the busy wiki's window {window} ran");
        }

        var hotIds = hot.Select(j => j.Id).ToHashSet();
        Assert.Equal([2, 2, 2], databases.Where(d => hotIds.Contains(d.Id)).GroupBy(d => d.Second).OrderBy(g => g.Key).Select(g => g.Count()));
        AssertRanExactlyOnce(h, hot.Concat(quiet));
        Assert.Empty(await h.ReadDeadLettersAsync());
        Assert.Equal(0, Stats(h, "alpha").DeadLettered);
    }

    private static JobRule Unduplicated(JobRule rule)
    {
        rule.Dedupe = DedupePolicy.Off;
        return rule;
    }

    private static JobRule Limited(JobRule rule, int? perSecond = null, int? perDatabase = null)
    {
        rule.RateLimit = new RateLimit { PerSecond = perSecond, PerDatabase = perDatabase };
        return rule;
    }

    /// <summary>A handler that records each execution's type and the clock's second, then behaves as the default.</summary>
    private static Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>> Recording(
        FakeTimeProvider clock, ConcurrentQueue<(string Type, long Second)> starts) => async (job, context, ct) =>
    {
        starts.Enqueue((job.Type, clock.GetUtcNow().ToUnixTimeSeconds()));
        return await DispatcherHarness.DefaultBehaviour(job, context, ct);
    };
}
