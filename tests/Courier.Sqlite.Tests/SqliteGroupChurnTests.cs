using Courier.Testing;
using Xunit;

namespace Courier.Sqlite.Tests;

public sealed class SqliteGroupChurnTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteJobLog _log = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _log = SqliteJobLog.Open(_directory.File("churn.db"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task MembersJoiningAndLeavingWhileRecordsFlow_DeliverEveryRecordExactlyOnce_AndNeverShareAPartition()
    {
        await _log.EnsureTopicAsync("jobs", 6, Token);
        var journal = new LogJournal();
        var produced = new List<TopicPartitionOffset>();
        using var producer = _log.CreateProducer();
        async Task ProduceRound(int round) => produced.AddRange(await producer.ProduceAsync(
            Enumerable.Range(round * 400, 400).Select(i => new OutgoingRecord("jobs", $"k{i % 37}", BitConverter.GetBytes(i))).ToList(), Token));

        var live = new List<GroupConsumerRunner>();
        var started = 0;
        GroupConsumerRunner Start()
        {
            var runner = GroupConsumerRunner.Start(_log, $"m{started++}", "churn", ["jobs"], journal, commitEachRecord: true);
            live.Add(runner);
            return runner;
        }
        Start();
        Start();
        Start();
        // Leave and join one member at a time while records are still unread; each change forces a rebalance.
        for (var round = 0; round < 6; round++)
        {
            await ProduceRound(round);
            await WaitForDeliveries(journal, produced.Count - 200, live);
            var leaving = live[round % live.Count];
            live.Remove(leaving);
            await leaving.StopAsync().WaitAsync(Eventually.DefaultBound, Token);
            Start();
        }
        await ProduceRound(6);
        await WaitForDeliveries(journal, 2800, live);
        foreach (var runner in live)
        {
            await runner.StopAsync().WaitAsync(Eventually.DefaultBound, Token);
        }

        var delivered = journal.Records().Select(r => r.Position).ToList();
        Assert.Equal(2800, delivered.Distinct().Count());
        Assert.Equal(2800, delivered.Count);
        Assert.Equal(produced.ToHashSet(), delivered.ToHashSet());
        journal.AssertNoPartitionReadByTwoConsumersAtOnce();
    }

    private static Task WaitForDeliveries(LogJournal journal, int count, IReadOnlyList<GroupConsumerRunner> runners) =>
        Eventually.TrueAsync(async () =>
        {
            foreach (var runner in runners.Where(r => r.Finished.IsFaulted))
            {
                await runner.Finished;
            }
            return journal.Records().Count >= count;
        }, $"{count} records are delivered", state: () => ValueTask.FromResult($"{journal.Records().Count} delivered"),
        interval: TimeSpan.FromMilliseconds(5));
}
