using Courier.Dispatching.Deduplication;
using Courier.Sqlite.State;
using Courier.Telemetry;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>Run claims held while their jobs run: rewritten before they lapse, left to lapse once released or overdue.</summary>
public sealed class HeldRunClaimsTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _directory = new("held-claims");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CourierTelemetry _telemetry = new();

    [Theory]
    [InlineData(1, 3)]   // never under three ticks of the renewal timer
    [InlineData(10, 20)] // twice the timeout
    [InlineData(420, 30)] // a dead dispatcher's jobs wait at most 30 s
    public void Lifetime_IsTwiceTheTimeout_Between3And30Seconds(int timeoutSeconds, int lifetimeSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(lifetimeSeconds), HeldRunClaims.Lifetime(new JobRule { Type = "alpha", Timeout = TimeSpan.FromSeconds(timeoutSeconds) }));

    [Fact]
    public async Task AHeldClaim_OutlivesItsLifetime_AndLapsesOnceReleased()
    {
        await using var store = Store();
        using var held = await ClaimAsync(store, TimeSpan.FromMinutes(7)); // lifetime 30 s, overdue after 14 min

        await AdvanceAsync(held, TimeSpan.FromSeconds(95));
        Assert.Equal("running|1|host:1", await store.GetAsync("claim", Ct));

        Assert.Equal("running|1|host:1", await held.ReleaseAsync("claim"));
        await AdvanceAsync(held, TimeSpan.FromSeconds(31));
        Assert.Null(await store.GetAsync("claim", Ct));
        Assert.Null(await held.ReleaseAsync("claim"));
    }

    [Fact]
    public async Task AClaimWhoseRunIsOverdue_IsNoLongerRewritten()
    {
        await using var store = Store();
        using var held = await ClaimAsync(store, TimeSpan.FromSeconds(10)); // lifetime 20 s, overdue after 20 s

        await AdvanceAsync(held, TimeSpan.FromSeconds(19));
        Assert.Equal("running|1|host:1", await store.GetAsync("claim", Ct));
        await AdvanceAsync(held, TimeSpan.FromSeconds(22));
        Assert.Null(await store.GetAsync("claim", Ct));
    }

    /// <summary>Claims <c>claim</c> in <paramref name="store"/>, as RunClaims does, for a rule of <paramref name="timeout"/>, and holds it.</summary>
    private async Task<HeldRunClaims> ClaimAsync(SqliteJobStateStore store, TimeSpan timeout)
    {
        var rule = new JobRule { Type = "alpha", Timeout = timeout };
        var held = new HeldRunClaims(store, _telemetry, _time, NullLogger.Instance);
        Assert.True(await store.TryAddAsync("claim", "running|1|host:1", HeldRunClaims.Lifetime(rule), Ct));
        held.Hold("claim", "running|1|host:1", rule);
        return held;
    }

    private SqliteJobStateStore Store() =>
        SqliteJobStateStore.Open(_directory.File("state.db"), new SqliteJobStateStoreOptions { TimeProvider = _time });

    /// <summary>Moves the clock a second at a time, letting each pass over the held claims finish before the next.</summary>
    private async Task AdvanceAsync(HeldRunClaims held, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await held.LastRenewal;
        }
    }

    public void Dispose()
    {
        _telemetry.Dispose();
        _directory.Dispose();
    }
}
