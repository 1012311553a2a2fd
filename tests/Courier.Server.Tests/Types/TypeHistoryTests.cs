using Courier.Server.Types;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Server.Tests.Types;

/// <summary><see cref="TypeHistory"/>'s rings and <see cref="TypeHistorySampler"/>'s clock, on a fake clock.</summary>
public sealed class TypeHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_AreDeltasPerSecond_WithLag_OldestFirst()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 20, succeeded: 15, retried: 3, held: 1, deadLettered: 1)], Lag(("a", 7)));
        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 50, succeeded: 40, retried: 3, held: 1, deadLettered: 6)], Lag(("a", 2)));

        var view = history.View("a")!;
        Assert.Equal("a", view.Type);
        Assert.Equal(10, view.IntervalSeconds);
        Assert.Equal([Start.AddSeconds(10).ToUnixTimeSeconds(), Start.AddSeconds(20).ToUnixTimeSeconds()], view.Times);
        Assert.Equal([2.0, 3.0], view.Throughput);        // 20 in the first 10 s, then 30 more
        Assert.Equal([0.5, 0.5], view.Failures);          // retried + held + dead-lettered: 5, then 5 more
        Assert.Equal([7.0, 2.0], view.Lag);
    }

    [Fact]
    public void Recent_RateOverTheLastMinute_AndSuccessRatioOverFiveMinutes()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock);
        Assert.Equal((0, null), history.Recent("a"));

        // 10 minutes: 60 executions every 10 s, of which 40 succeed for 9 minutes, then all fail for the last minute.
        long executions = 0, succeeded = 0, deadLettered = 0;
        for (var i = 0; i < 60; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            executions += 60;
            var ok = i < 54 ? 40 : 0;
            succeeded += ok;
            deadLettered += 60 - ok;
            history.Record([Stats("a", executions, succeeded, deadLettered: deadLettered)], Lag());
        }

        var (rate, ratio) = history.Recent("a");
        Assert.Equal(6.0, rate, 6);                       // 360 executions in the last 60 s
        Assert.Equal(24 * 40.0 / (24 * 60 + 6 * 60), ratio!.Value, 6); // last 30 samples: 24 at 40/60, 6 at 0/60
    }

    [Fact]
    public void Ring_Wraps_KeepingTheNewestCapacitySamples()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock, capacity: 4);

        for (var i = 1; i <= 6; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            history.Record([Stats("a", executions: i * 10)], Lag(("a", i)));
        }

        var view = history.View("a")!;
        Assert.Equal(4, history.Count);
        Assert.Equal([3.0, 4.0, 5.0, 6.0], view.Lag);
        Assert.Equal(Enumerable.Range(3, 4).Select(i => Start.AddSeconds(10 * i).ToUnixTimeSeconds()), view.Times);
        Assert.All(view.Throughput, t => Assert.Equal(1.0, t));
    }

    [Fact]
    public void AllTypes_AreAddedUp_ALateTypeCountsFromItsFirstSample_AndAnUnknownTypeHasNone()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 10)], Lag(("a", 1)));
        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 30), Stats("b", executions: 50)], Lag(("a", 1), ("b", 4)));

        var total = history.View(null)!;
        Assert.Null(total.Type);
        Assert.Equal([1.0, 7.0], total.Throughput);
        Assert.Equal([1.0, 5.0], total.Lag);
        Assert.Equal([0.0, 5.0], history.View("b")!.Throughput);
        Assert.Null(history.View("nope"));
    }

    [Fact]
    public void ASampleWithoutLag_KeepsThePreviousLag_AndCountsThatWentBackDoNotGoNegative()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 10)], Lag(("a", 9)));
        clock.Advance(TimeSpan.FromSeconds(10));
        history.Record([Stats("a", executions: 5)], null);

        var view = history.View("a")!;
        Assert.Equal([9.0, 9.0], view.Lag);
        Assert.Equal([1.0, 0.0], view.Throughput);
    }

    [Fact]
    public async Task Sampler_TakesASampleEveryIntervalOfItsClock()
    {
        var clock = new FakeTimeProvider(Start);
        var history = new TypeHistory(clock);
        long executions = 0;
        var sampler = new TypeHistorySampler(history, () => [Stats("a", executions)],
            _ => Task.FromResult<IReadOnlyDictionary<string, long>>(Lag(("a", 3))), clock, NullLogger<TypeHistorySampler>.Instance);
        await sampler.StartAsync(TestContext.Current.CancellationToken);

        executions = 40;
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, history.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await sampler.LastSample;
        executions = 60;
        clock.Advance(TimeSpan.FromSeconds(10));
        await sampler.LastSample;
        await sampler.StopAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(30));
        await sampler.DisposeAsync();

        var view = history.View("a")!;
        Assert.Equal(2, history.Count);
        Assert.Equal([4.0, 2.0], view.Throughput);
        Assert.Equal([3.0, 3.0], view.Lag);
    }

    private static JobTypeStats Stats(string type, long executions, long succeeded = 0, long retried = 0, long held = 0, long deadLettered = 0) => new()
    {
        Type = type,
        Executions = executions,
        Succeeded = succeeded,
        Retried = retried,
        Held = held,
        DeadLetteredByClass = new Dictionary<FailureClass, long> { [FailureClass.Permanent] = deadLettered },
        DeadLettered = deadLettered,
    };

    private static Dictionary<string, long> Lag(params (string Type, long Lag)[] lags) =>
        lags.ToDictionary(l => l.Type, l => l.Lag, StringComparer.Ordinal);
}
