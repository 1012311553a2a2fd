using System.Text.Json;
using Courier.Recurring;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Recurring jobs (<see cref="DispatcherOptions.Recurring"/>), on every engine. The dispatchers run on a frozen
/// <see cref="FakeTimeProvider"/>: a tick comes only when the test moves the clock to it.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    private static readonly DateTimeOffset RecurringStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Recurring_TwoDispatchersOnOneStore_EnqueueEachTickExactlyOnce()
    {
        var clock = new FakeTimeProvider(RecurringStart);
        var options = Options(Rule("alpha"));
        options.Recurring.Add(EveryMinute("sweep"));
        await using var h = CreateHarness(options, time: clock);
        SkipWithoutStore(h);
        var peer = h.CreatePeer(options);
        await h.StartAsync();
        await peer.StartAsync(Ct);

        for (var tick = 1; tick <= 3; tick++)
        {
            await WaitRecurringCheckedAsync(h, clock, h.Dispatcher, peer);
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitRecurringCheckedAsync(h, clock, h.Dispatcher, peer);
            var expected = tick;
            await h.WaitUntilAsync(() => DistinctJobsRun(h) == expected, $"tick {tick}'s job ran");
        }

        var mine = h.Dispatcher.GetRecurring().Single();
        var theirs = peer.GetRecurring().Single();
        Assert.Equal(3, mine.Enqueued + theirs.Enqueued); // each tick claimed by one of the two
        // Each tick's job has the id derived from the name and the tick, whichever dispatcher wrote it.
        Assert.Equal(Enumerable.Range(1, 3).Select(m => EveryMinute("sweep").JobIdFor(RecurringStart.AddMinutes(m))).Order(),
            h.Executions.Select(e => e.Id).Distinct().Order());
        Assert.Equal(RecurringStart.AddMinutes(3), mine.LastTick);
        Assert.Equal(RecurringStart.AddMinutes(3), theirs.LastTick);
        Assert.Equal(RecurringStart.AddMinutes(4), mine.NextTick);
        Assert.Equal(RecurringStart.AddMinutes(3).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            await h.StateStore!.GetAsync("recurring:sweep:last", Ct));
    }

    [Fact]
    public async Task Recurring_ATickAnotherDispatcherClaimed_IsNotEnqueuedHere_AndTheNextOneIs()
    {
        var clock = new FakeTimeProvider(RecurringStart);
        var options = Options(Rule("alpha"));
        options.Recurring.Add(EveryMinute("sweep"));
        await using var h = CreateHarness(options, time: clock);
        SkipWithoutStore(h);
        // Another dispatcher holds the first tick's claim and has not written its job yet (so no last tick either).
        Assert.True(await h.StateStore!.TryAddAsync($"recurring:sweep:{RecurringStart.AddMinutes(1).ToUnixTimeSeconds()}", "another",
            TimeSpan.FromHours(1), Ct));
        await h.StartAsync();
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher);

        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher); // the tick's pass is over
        Assert.Equal(0, h.Dispatcher.GetRecurring().Single().Enqueued);

        clock.Advance(TimeSpan.FromMinutes(1));
        await h.WaitUntilAsync(() => h.Executions.Count == 1, "the second tick's job ran");
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher);
        Assert.Equal(1, h.Dispatcher.GetRecurring().Single().Enqueued);
        Assert.Empty(h.Executions.Where(e => e.Id == EveryMinute("sweep").JobIdFor(RecurringStart.AddMinutes(1))));
    }

    [Theory]
    [InlineData(CatchUp.Skip, 1)]
    [InlineData(CatchUp.Once, 1)]
    [InlineData(CatchUp.All, 3)]
    public async Task Recurring_ClockJumpWhileRunning_EnqueuesTheLatestTick_AndWithAllTheMissedOnesUpToTheBound(CatchUp policy, int expected)
    {
        var clock = new FakeTimeProvider(RecurringStart);
        var options = Options(Rule("alpha"));
        options.Recurring.Add(EveryMinute("sweep", policy, maxCatchUp: 3));
        await using var h = CreateHarness(options, time: clock);
        await h.StartAsync();
        await FirstTickAsync(h, clock, h.Dispatcher);

        clock.Advance(TimeSpan.FromMinutes(10)); // ten ticks due at once: a stalled process, a clock jump
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher);
        await h.WaitUntilAsync(() => h.Executions.Count == 1 + expected, $"{expected} jobs for the ten due ticks ran");

        var status = h.Dispatcher.GetRecurring().Single();
        Assert.Equal(1 + expected, status.Enqueued);
        Assert.Equal(1 + expected, h.Executions.Select(e => e.Id).Distinct().Count());
        Assert.Equal(RecurringStart.AddMinutes(11), status.LastTick);
    }

    [Theory]
    [InlineData(CatchUp.Skip, 0)]
    [InlineData(CatchUp.Once, 1)]
    [InlineData(CatchUp.All, 3)]
    public async Task Recurring_AfterDowntime_CatchesUpTheMissedTicksByItsPolicy(CatchUp policy, int expected)
    {
        var clock = new FakeTimeProvider(RecurringStart);
        // The recurring job is scheduled by two dispatchers of the group one after the other; the harness's has none.
        await using var h = CreateHarness(Options(Rule("alpha")), time: clock);
        SkipWithoutStore(h);
        var scheduling = Options(Rule("alpha"));
        scheduling.Recurring.Add(EveryMinute("sweep", policy, maxCatchUp: 3));
        await h.StartAsync();
        var before = h.CreatePeer(scheduling);
        await before.StartAsync(Ct);
        await FirstTickAsync(h, clock, before);
        await before.DisposeAsync();

        clock.Advance(TimeSpan.FromMinutes(10)); // ten ticks missed while no scheduler ran
        var after = h.CreatePeer(scheduling);
        await after.StartAsync(Ct);
        await WaitRecurringCheckedAsync(h, clock, after);
        await h.WaitUntilAsync(() => DistinctJobsRun(h) == 1 + expected, $"{expected} catch-up jobs ran");

        var status = after.GetRecurring().Single();
        Assert.Equal(expected, status.Enqueued);
        Assert.Equal(RecurringStart.AddMinutes(11), status.LastTick);
        Assert.Equal(RecurringStart.AddMinutes(12), status.NextTick);
        Assert.Equal(1 + expected, h.Executions.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Recurring_InAZoneWithDst_FiresOnTheSpringForwardDay_AtTheEndOfTheGap()
    {
        // 02:30 does not exist in Berlin on 2026-03-29 (02:00 CET → 03:00 CEST): the tick is 03:00 CEST (01:00 UTC).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero));
        var options = Options(Rule("alpha"));
        options.Recurring.Add(new RecurringJob { Name = "nightly", Type = "alpha", Cron = "30 2 * * *", TimeZone = "Europe/Berlin", Params = TickParams });
        await using var h = CreateHarness(options, time: clock);
        await h.StartAsync();
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher);
        var gapTick = new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal(gapTick, h.Dispatcher.GetRecurring().Single().NextTick);

        clock.Advance(gapTick - clock.GetUtcNow());
        await h.WaitUntilAsync(() => h.Executions.Count == 1, "the spring-forward tick's job ran");
        await WaitRecurringCheckedAsync(h, clock, h.Dispatcher);

        var status = h.Dispatcher.GetRecurring().Single();
        Assert.Equal(gapTick, status.LastTick);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero), status.NextTick); // 02:30 CEST
    }

    private static JsonElement TickParams { get; } = JsonDocument.Parse("""{"name":"tick"}""").RootElement.Clone();

    private static RecurringJob EveryMinute(string name, CatchUp catchUp = CatchUp.Once, int maxCatchUp = 10) => new()
    {
        Name = name,
        Type = "alpha",
        Cron = "* * * * *",
        CatchUp = catchUp,
        MaxCatchUp = maxCatchUp,
        Params = TickParams,
    };

    private static void SkipWithoutStore(DispatcherHarness h)
    {
        if (h.StateStore is null)
        {
            Assert.Skip("needs a shared state store, which this engine's harness does not have yet");
        }
    }

    /// <summary>Moves the clock to the first tick of <paramref name="scheduler"/>'s every-minute job and waits until its job ran and the next pass is set.</summary>
    private static async Task FirstTickAsync(DispatcherHarness h, FakeTimeProvider clock, Dispatcher scheduler)
    {
        await WaitRecurringCheckedAsync(h, clock, scheduler);
        clock.Advance(TimeSpan.FromMinutes(1));
        await h.WaitUntilAsync(() => DistinctJobsRun(h) == 1, "the first tick's job ran");
        await WaitRecurringCheckedAsync(h, clock, scheduler);
    }

    /// <summary>
    /// Jobs run so far, each counted once: with two dispatchers in a group on Kafka, a job in flight while its
    /// partition moves to the other member may run on both (at least once); these tests count ticks, not runs.
    /// </summary>
    private static int DistinctJobsRun(DispatcherHarness h) => h.Executions.Select(e => e.Id).Distinct().Count();

    /// <summary>Waits until every recurring job of <paramref name="dispatchers"/> has looked for due ticks at the clock's time (its next timer is set).</summary>
    private static Task WaitRecurringCheckedAsync(DispatcherHarness h, FakeTimeProvider clock, params Dispatcher[] dispatchers) =>
        h.WaitUntilAsync(() => dispatchers.All(d => d.GetRecurring().All(r => r.CheckedAt == clock.GetUtcNow())),
            "the recurring scheduler looked at the current time");
}
