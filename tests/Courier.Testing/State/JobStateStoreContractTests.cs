using Courier.State;
using Xunit;

namespace Courier.Testing.State;

/// <summary>
/// The state store's contract (<see cref="IJobStateStore"/>), as tests. A store's test project inherits this class and
/// overrides <see cref="OpenStoreAsync"/>; every test then runs against that store. Each test uses keys of its own, so
/// stores may share one backing server or file across tests.
/// </summary>
/// <remarks>
/// Expiry is observed with short real TTLs, waiting with <see cref="Eventually"/> until the key is gone: nothing
/// asserts that something happened within some time, only that it happens (or, against a key with an hour to live,
/// that it has not).
/// </remarks>
public abstract class JobStateStoreContractTests : IAsyncLifetime
{
    /// <summary>A TTL no test outlives.</summary>
    protected static readonly TimeSpan Lasting = TimeSpan.FromHours(1);

    /// <summary>A TTL the tests wait out.</summary>
    protected static readonly TimeSpan Brief = TimeSpan.FromMilliseconds(300);

    private readonly List<IJobStateStore> _stores = [];
    private readonly string _keyPrefix = "contract:" + Guid.NewGuid().ToString("N")[..12] + ":";

    /// <summary>The store under test, opened per test.</summary>
    protected IJobStateStore Store => _stores.Count > 0 ? _stores[0] : throw new InvalidOperationException("The store is opened in InitializeAsync.");

    /// <summary>
    /// Opens a store on this test's shared state: the first call per test creates it, later calls open another client
    /// of the same state (another connection to the same server, another handle on the same file), as a second
    /// dispatcher would.
    /// </summary>
    protected abstract Task<IJobStateStore> OpenStoreAsync();

    /// <summary>A key of this test only.</summary>
    protected string Key(string name) => _keyPrefix + name;

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync() => _stores.Add(await OpenStoreAsync());

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens another client of the same state, disposed with the test.</summary>
    protected async Task<IJobStateStore> OpenAnotherAsync()
    {
        var store = await OpenStoreAsync();
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task TryAdd_RacedByManyTasksOnTwoClients_ExactlyOneWinsAndItsValueIsKept()
    {
        var other = await OpenAnotherAsync();
        var key = Key("claim");
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            var store = i % 2 == 0 ? Store : other;
            return (Value: $"owner{i}", Won: await store.TryAddAsync(key, $"owner{i}", Lasting, TestContext.Current.CancellationToken));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal(winner.Value, await Store.GetAsync(key, TestContext.Current.CancellationToken));
        Assert.Equal(winner.Value, await other.GetAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Values_RoundTrip_SetReplacesAndAnAbsentKeyReadsNull()
    {
        var key = Key("value");
        Assert.Null(await Store.GetAsync(key, TestContext.Current.CancellationToken));
        const string text = "wiki:enwiki/Ünïcødé 🚀 \"quoted\" \n line";
        await Store.SetAsync(key, text, Lasting, TestContext.Current.CancellationToken);
        Assert.Equal(text, await Store.GetAsync(key, TestContext.Current.CancellationToken));
        Assert.False(await Store.TryAddAsync(key, "other", Lasting, TestContext.Current.CancellationToken));
        await Store.SetAsync(key, "", Lasting, TestContext.Current.CancellationToken);
        Assert.Equal("", await Store.GetAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TryAdd_WithAShortTtl_TheKeyExpiresReadsAbsentAndCanBeClaimedAgain()
    {
        var key = Key("expiring");
        var kept = Key("kept");
        Assert.True(await Store.TryAddAsync(key, "first", Brief, TestContext.Current.CancellationToken));
        Assert.True(await Store.TryAddAsync(kept, "kept", Lasting, TestContext.Current.CancellationToken));

        await Eventually.TrueAsync(async () => await Store.GetAsync(key, TestContext.Current.CancellationToken) is null, "the short-lived key has expired");
        Assert.True(await Store.TryAddAsync(key, "second", Lasting, TestContext.Current.CancellationToken));
        Assert.Equal("second", await Store.GetAsync(key, TestContext.Current.CancellationToken));
        Assert.Equal("kept", await Store.GetAsync(kept, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Delete_RemovesAKey_AndWithAValueOnlyWhileTheKeyStillHoldsIt()
    {
        var key = Key("claim");
        Assert.False(await Store.DeleteAsync(key, cancellationToken: TestContext.Current.CancellationToken));
        await Store.SetAsync(key, "mine", Lasting, TestContext.Current.CancellationToken);

        Assert.False(await Store.DeleteAsync(key, "theirs", TestContext.Current.CancellationToken));
        Assert.Equal("mine", await Store.GetAsync(key, TestContext.Current.CancellationToken));
        Assert.True(await Store.DeleteAsync(key, "mine", TestContext.Current.CancellationToken));
        Assert.Null(await Store.GetAsync(key, TestContext.Current.CancellationToken));
        Assert.False(await Store.DeleteAsync(key, "mine", TestContext.Current.CancellationToken));

        await Store.SetAsync(key, "any", Lasting, TestContext.Current.CancellationToken);
        Assert.True(await Store.DeleteAsync(key, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Null(await Store.GetAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Max_KeepsTheLargestNumber_ReturnsThePreviousOne_ExactlyBeyondDoublePrecision()
    {
        var key = Key("newest");
        Assert.Null(await Store.MaxAsync(key, 100, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal(100, await Store.MaxAsync(key, 50, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal(100, await Store.MaxAsync(key, 200, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal("200", await Store.GetAsync(key, TestContext.Current.CancellationToken));

        var negative = Key("negative");
        Assert.Null(await Store.MaxAsync(negative, -7, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal(-7, await Store.MaxAsync(negative, -12, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal(-7, await Store.MaxAsync(negative, 3, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal("3", await Store.GetAsync(negative, TestContext.Current.CancellationToken));

        // 2^53 + 1 and 2^53 are the same double: a store comparing doubles would keep the smaller one.
        var big = Key("big");
        Assert.Null(await Store.MaxAsync(big, (1L << 53) + 1, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal((1L << 53) + 1, await Store.MaxAsync(big, 1L << 53, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal((1L << 53) + 1, await Store.MaxAsync(big, long.MinValue, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal((1L << 53) + 1, await Store.MaxAsync(big, long.MaxValue, Lasting, TestContext.Current.CancellationToken));
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), await Store.GetAsync(big, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Max_SetsTheExpiryFromEachCall()
    {
        var key = Key("newest");
        Assert.Null(await Store.MaxAsync(key, 100, Lasting, TestContext.Current.CancellationToken));
        // A later call, even one that keeps the stored number, gives the key its own TTL.
        Assert.Equal(100, await Store.MaxAsync(key, 1, Brief, TestContext.Current.CancellationToken));

        await Eventually.TrueAsync(async () => await Store.GetAsync(key, TestContext.Current.CancellationToken) is null, "the key has expired on the later call's TTL");
        Assert.Null(await Store.MaxAsync(key, 1, Lasting, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Increment_FromManyTasks_SumsExactly()
    {
        var key = Key("count");
        var other = await OpenAnotherAsync();
        var sums = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? Store : other).IncrementAsync(key, 2, Lasting, TestContext.Current.CancellationToken))));

        Assert.Equal(Enumerable.Range(1, 40).Select(n => 2L * n), sums.Order());
        Assert.Equal(-20, await Store.IncrementAsync(key, -100, Lasting, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Increment_AnExistingKeyKeepsItsExpiry_AFixedWindow()
    {
        // A window that expired before its second hit (a stalled machine) proves nothing: try another key then.
        string? key = null;
        for (var attempt = 0; key is null; attempt++)
        {
            Assert.True(attempt < 10, "every window expired before its second hit");
            var candidate = Key($"window{attempt}");
            Assert.Equal(1, await Store.IncrementAsync(candidate, 1, Brief, TestContext.Current.CancellationToken));
            // Hits within the window do not extend it, whatever TTL they pass.
            if (await Store.IncrementAsync(candidate, 1, Lasting, TestContext.Current.CancellationToken) == 2)
            {
                key = candidate;
            }
        }

        await Eventually.TrueAsync(async () => await Store.GetAsync(key, TestContext.Current.CancellationToken) is null, "the window has expired on its first TTL");
        Assert.Equal(5, await Store.IncrementAsync(key, 5, Lasting, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Operations_RejectAnEmptyKeyAndANonPositiveTtl()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.GetAsync("", TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.SetAsync(Key("k"), "v", TimeSpan.Zero, TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.TryAddAsync(Key("k"), "v", TimeSpan.FromSeconds(-1), TestContext.Current.CancellationToken));
        Assert.Null(await Store.GetAsync(Key("k"), TestContext.Current.CancellationToken));
    }
}
