using Courier.Sqlite.State;
using Courier.State;
using Courier.Testing.State;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Sqlite.Tests.State;

/// <summary>
/// The state store contract on the embedded store (every client a handle on one SQLite file), and what only the
/// embedded store does: its bound, its sweep of expired keys, several handles on one file.
/// </summary>
public sealed class SqliteJobStateStoreTests : JobStateStoreContractTests
{
    /// <summary>Writes between two sweeps, as the store runs them (SqliteJobStateStore.SweepEvery).</summary>
    private const int SweepEvery = 1024;

    private readonly TempDirectory _directory = new("state");

    protected override Task<IJobStateStore> OpenStoreAsync() =>
        Task.FromResult<IJobStateStore>(SqliteJobStateStore.Open(_directory.File("state.db")));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Bound_PastMaxEntries_TheLongLivedKeysNearestTheirExpiryAreDroppedFirst_NeverOnesAboutToExpire()
    {
        await using var store = SqliteJobStateStore.Open(_directory.File("bounded.db"), new SqliteJobStateStoreOptions { MaxEntries = 100 });
        // The i-th key lives i minutes. Keys 1..60 expire within the hour (a claim, a rate window): never dropped.
        for (var i = 1; i <= SweepEvery; i++)
        {
            await store.SetAsync($"k{i}", "v", TimeSpan.FromMinutes(i), Ct);
        }

        Assert.Equal(100, store.Count());
        Assert.Equal(SweepEvery - 100, store.DroppedKeys);
        for (var i = 1; i <= 60; i++)
        {
            Assert.Equal("v", await store.GetAsync($"k{i}", Ct));
        }
        for (var i = SweepEvery - 39; i <= SweepEvery; i++)
        {
            Assert.Equal("v", await store.GetAsync($"k{i}", Ct));
        }
        Assert.Null(await store.GetAsync("k61", Ct));
        Assert.Null(await store.GetAsync($"k{SweepEvery - 40}", Ct));
    }

    [Fact]
    public async Task Bound_KeysAboutToExpire_AreKeptPastIt_UntilSwept()
    {
        await using var store = SqliteJobStateStore.Open(_directory.File("claims.db"), new SqliteJobStateStoreOptions { MaxEntries = 10 });
        for (var i = 1; i <= SweepEvery; i++)
        {
            await store.SetAsync($"claim{i}", "running", TimeSpan.FromMinutes(5), Ct);
        }

        Assert.Equal(SweepEvery, store.Count());
        Assert.Equal(0, store.DroppedKeys);
        Assert.Equal("running", await store.GetAsync("claim1", Ct));
    }

    [Fact]
    public async Task Sweep_ExpiredKeysAreDeletedFromTheFileAsWritesGo()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var store = SqliteJobStateStore.Open(_directory.File("sweep.db"), new SqliteJobStateStoreOptions { TimeProvider = time });
        for (var i = 1; i < SweepEvery; i++)
        {
            await store.SetAsync($"old{i}", "v", TimeSpan.FromMinutes(1), Ct);
        }
        Assert.Equal(SweepEvery - 1, store.Count());

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await store.GetAsync("old1", Ct)); // expired keys read absent before any sweep
        Assert.Equal(SweepEvery - 1, store.Count());
        await store.SetAsync("new", "v", TimeSpan.FromMinutes(1), Ct); // the sweeping write

        Assert.Equal(1, store.Count());
        Assert.Equal("v", await store.GetAsync("new", Ct));
    }

    [Fact]
    public async Task TwoHandlesOnOneFile_SeeEachOthersWritesDeletesAndExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var path = _directory.File("shared.db");
        await using var first = SqliteJobStateStore.Open(path, new SqliteJobStateStoreOptions { TimeProvider = time });
        await using var second = SqliteJobStateStore.Open(path, new SqliteJobStateStoreOptions { TimeProvider = time });

        Assert.True(await first.TryAddAsync("claim", "first", TimeSpan.FromMinutes(1), Ct));
        Assert.False(await second.TryAddAsync("claim", "second", TimeSpan.FromMinutes(1), Ct));
        Assert.Equal("first", await second.GetAsync("claim", Ct));
        Assert.Null(await second.MaxAsync("newest", 5, TimeSpan.FromHours(1), Ct));
        Assert.Equal(5, await first.MaxAsync("newest", 3, TimeSpan.FromHours(1), Ct));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await first.GetAsync("claim", Ct));
        Assert.True(await second.TryAddAsync("claim", "second", TimeSpan.FromMinutes(1), Ct));
        Assert.False(await first.DeleteAsync("claim", "first", Ct));
        Assert.True(await first.DeleteAsync("claim", "second", Ct));
        Assert.Null(await second.GetAsync("claim", Ct));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
