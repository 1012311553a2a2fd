using System.Collections.Concurrent;
using System.Text;
using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>Two <see cref="SqliteJobLog"/> instances on one file stand in for two processes: they share no memory.</summary>
public sealed class SqliteJobLogSharedFileTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteJobLog _first = null!;
    private SqliteJobLog _second = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        var options = new SqliteJobLogOptions { SessionTimeout = TimeSpan.FromSeconds(1) };
        _first = SqliteJobLog.Open(_directory.File("shared.db"), options);
        _second = SqliteJobLog.Open(_directory.File("shared.db"), options);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task ConcurrentProducers_InTwoInstances_GetDenseUniqueOffsets()
    {
        await _first.EnsureTopicAsync("jobs", 4, Token);
        var positions = new ConcurrentBag<(TopicPartitionOffset Position, string Value)>();
        var producers = new[] { _first, _second }
            .SelectMany(log => Enumerable.Range(0, 3).Select(worker => (log, worker)))
            .Select(x => Task.Run(async () =>
            {
                using var producer = x.log.CreateProducer();
                for (var batch = 0; batch < 30; batch++)
                {
                    var records = Enumerable.Range(0, 10)
                        .Select(i => new OutgoingRecord("jobs", $"key-{(batch * 10 + i) % 13}", Encoding.UTF8.GetBytes($"{x.log.GetHashCode()}/{x.worker}/{batch}/{i}")))
                        .ToList();
                    var produced = await producer.ProduceAsync(records, Token);
                    for (var i = 0; i < records.Count; i++)
                    {
                        positions.Add((produced[i], Encoding.UTF8.GetString(records[i].Value.Span)));
                    }
                }
            }, Token))
            .ToList();
        await Task.WhenAll(producers);

        Assert.Equal(6 * 30 * 10, positions.Count);
        foreach (var partition in positions.GroupBy(p => p.Position.Partition))
        {
            var offsets = partition.Select(p => p.Position.Offset).Order().ToList();
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(i => (long)i), offsets);
            Assert.Equal(offsets.Count, (await _second.GetWatermarksAsync(new TopicPartition("jobs", partition.Key), Token)).High);
        }

        using var consumer = _first.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset("jobs", p, 0)).ToList());
        var consumed = Consuming.Count(consumer, positions.Count);
        var expected = positions.ToDictionary(p => p.Position, p => p.Value);
        Assert.All(consumed, r => Assert.Equal(expected[r.Position], Encoding.UTF8.GetString(r.Value.Span)));
        Assert.Equal(positions.Count, consumed.Select(r => r.Position).Distinct().Count());
    }

    [Fact]
    public async Task Consumer_SeesRecordsProducedByAnotherInstance()
    {
        await _first.EnsureTopicAsync("jobs", 1, Token);
        using var consumer = _second.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset("jobs", 0, 0)]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50), Token));

        // The consumer waits on another thread; nothing in its instance signals it, only polling can find the record.
        var waiting = Task.Factory.StartNew(() => consumer.Consume(Eventually.DefaultBound, Token), Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        using var producer = _first.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord("jobs", null, "from the other process"u8.ToArray())], Token);

        var record = await waiting.WaitAsync(Eventually.DefaultBound + Eventually.DefaultBound, Token);
        Assert.NotNull(record);
        Assert.Equal("from the other process", Encoding.UTF8.GetString(record.Value.Span));
    }

    [Fact]
    public async Task GroupMemberThatStopsHeartbeating_LosesItsPartitionsToTheMemberInTheOtherInstance()
    {
        await _first.EnsureTopicAsync("jobs", 4, Token);
        var revokedFromB = new List<TopicPartition>();
        var a = _first.CreateConsumer(new JobLogConsumerOptions { GroupId = "dispatchers", ClientId = "a" });
        using var b = _second.CreateConsumer(new JobLogConsumerOptions { GroupId = "dispatchers", ClientId = "b", PartitionsRevoked = revokedFromB.AddRange });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);
        Assert.Empty(a.Assignment.Intersect(b.Assignment));

        // "kill -9" a: it never calls Consume again, so its heartbeat ages past the 1 s session timeout.
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over a's partitions", [b]);
        Assert.Empty(revokedFromB);

        using var producer = _first.CreateProducer();
        await producer.ProduceAsync(Enumerable.Range(0, 20).Select(i => new OutgoingRecord("jobs", $"k{i}", new byte[] { (byte)i })).ToList(), Token);
        Assert.Equal(20, Consuming.Count(b, 20).Select(r => r.Position).Distinct().Count());

        var members = await _first.DescribeGroupAsync("dispatchers", Token);
        Assert.Equal("b", Assert.Single(members).ClientId);
        Assert.Equal(4, members[0].Partitions.Count);
        a.Dispose();
    }
}
