using Courier.Sqlite.State;
using Courier.State;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Courier.Sqlite.Tests.State;

/// <summary>
/// The embedded store's group commit: a batch applies its calls in queue order with each one's own result, and a batch
/// that cannot be written fails every call in it rather than leaving any waiting.
/// </summary>
public sealed class SqliteJobStateStoreBatchTests : IDisposable
{
    private static readonly long Minute = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;

    private readonly TempDirectory _directory = new("state-batch");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task OneBatch_CallsOnOneKeyTakeEffectInQueueOrder_TheFirstAddWins()
    {
        await using var store = SqliteJobStateStore.Open(_directory.File("order.db"));
        var first = new StateOperation(StateOperationKind.Add, "claim", "first", ttlMillis: Minute);
        var second = new StateOperation(StateOperationKind.Add, "claim", "second", ttlMillis: Minute);
        var wrongDelete = new StateOperation(StateOperationKind.Delete, "claim", "second");
        var one = new StateOperation(StateOperationKind.Increment, "count", number: 1, ttlMillis: Minute);
        var two = new StateOperation(StateOperationKind.Increment, "count", number: 2, ttlMillis: Minute);
        var delete = new StateOperation(StateOperationKind.Delete, "claim", "first");
        var third = new StateOperation(StateOperationKind.Add, "claim", "third", ttlMillis: Minute);

        store.ApplyBatch([first, second, wrongDelete, one, two, delete, third]);

        Assert.True(first.Done);
        Assert.False(second.Done);
        Assert.False(wrongDelete.Done);
        Assert.Equal(1, one.Result);
        Assert.Equal(3, two.Result);
        Assert.True(delete.Done);
        Assert.True(third.Done);
        Assert.Equal("third", await store.GetAsync("claim", Ct));
        Assert.Equal("3", await store.GetAsync("count", Ct));
    }

    [Fact]
    public async Task OneBatch_ACallThatFailsOnItsOwnFailsAlone_TheRestOfTheBatchIsWritten()
    {
        await using var store = SqliteJobStateStore.Open(_directory.File("alone.db"));
        var text = new StateOperation(StateOperationKind.Set, "k", "not a number", ttlMillis: Minute);
        var max = new StateOperation(StateOperationKind.Max, "k", number: 5, ttlMillis: Minute);
        var after = new StateOperation(StateOperationKind.Set, "after", "v", ttlMillis: Minute);

        store.ApplyBatch([text, max, after]);

        Assert.IsType<FormatException>(max.Error);
        Assert.Null(text.Error);
        Assert.Equal("not a number", await store.GetAsync("k", Ct));
        Assert.Equal("v", await store.GetAsync("after", Ct));
    }

    [Fact]
    public async Task AFailingBatch_FailsEveryCallInItWithAStoreError_AppliesNoneOfIt_ReadsGoOn_AndTheStoreRecovers()
    {
        var path = _directory.File("locked.db");
        await using var store = SqliteJobStateStore.Open(path, new SqliteJobStateStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(1) });
        using var other = new SqliteConnection($"Data Source={path};Pooling=false");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE"; // another process holds the write lock past the busy timeout
            begin.ExecuteNonQuery();
        }

        var calls = Enumerable.Range(0, 64).Select(i => store.TryAddAsync($"k{i % 4}", $"v{i}", TimeSpan.FromMinutes(1), Ct).AsTask()).ToList();
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<JobStateStoreException>(() => call.WaitAsync(Ct));
            Assert.Contains("add failed", error.Message, StringComparison.Ordinal);
            Assert.IsType<SqliteException>(error.InnerException);
        }
        Assert.Null(await store.GetAsync("k0", Ct)); // reads do not wait for the write lock (WAL), and nothing was added

        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        Assert.Equal(0, store.Count());
        Assert.True(await store.TryAddAsync("k0", "later", TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Dispose_WithCallsQueued_AppliesThemOrRefusesLaterOnes_NoneIsLeftWaiting()
    {
        var store = SqliteJobStateStore.Open(_directory.File("dispose.db"));
        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            try
            {
                return await store.IncrementAsync("count", 1, TimeSpan.FromMinutes(1), Ct);
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }
        }, Ct)).ToList();
        await store.DisposeAsync();

        var results = await Task.WhenAll(calls).WaitAsync(Ct);
        var applied = results.Where(r => r > 0).Order().ToList();
        Assert.Equal(Enumerable.Range(1, applied.Count).Select(i => (long)i), applied);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
