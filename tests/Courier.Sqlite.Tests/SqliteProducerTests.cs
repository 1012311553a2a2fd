using System.Text;
using Courier.Sqlite.Records;
using Xunit;

namespace Courier.Sqlite.Tests;

public sealed class SqliteProducerTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteJobLog _log = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _log = SqliteJobLog.Open(_directory.File("producer.db"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task UnkeyedRecords_AreSpreadRoundRobin()
    {
        using var producer = _log.CreateProducer();
        var positions = await producer.ProduceAsync(Enumerable.Range(0, 8).Select(_ => new OutgoingRecord("spread", null, new byte[] { 1 })).ToList(), Token);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], positions.Select(p => p.Partition));
    }

    [Fact]
    public async Task KeyedRecords_UseFnv1aOfTheUtf8Key_SoPartitionsNeverChangeBetweenVersions()
    {
        // Golden values: FNV-1a (32-bit) of the UTF-8 bytes. Changing the hash would move keys to other partitions and
        // break per-key ordering across an upgrade.
        Assert.Equal(0x811C9DC5u, KeyPartitioner.Hash([]));
        Assert.Equal(0xE40C292Cu, KeyPartitioner.Hash("a"u8));
        Assert.Equal(0xBF9CF968u, KeyPartitioner.Hash("foobar"u8));
        using var producer = _log.CreateProducer();
        var positions = await producer.ProduceAsync([new OutgoingRecord("keyed", "foobar", new byte[] { 1 })], Token);
        Assert.Equal((int)(0xBF9CF968u % 4), positions[0].Partition);
    }

    [Fact]
    public async Task AutoCreateOff_ProduceToAMissingTopic_Fails()
    {
        await using var strict = SqliteJobLog.Open(_directory.File("strict.db"), new SqliteJobLogOptions { AutoCreateTopics = false });
        using var producer = strict.CreateProducer();
        var error = await Assert.ThrowsAsync<JobLogException>(async () => await producer.ProduceAsync([new OutgoingRecord("missing", null, new byte[] { 1 })], Token));
        Assert.Contains("'missing' does not exist", error.Message, StringComparison.Ordinal);
        await strict.EnsureTopicAsync("missing", 2, Token);
        Assert.Equal(0, (await producer.ProduceAsync([new OutgoingRecord("missing", null, new byte[] { 1 })], Token))[0].Offset);
    }

    [Fact]
    public async Task AutoCreatedTopic_GetsTheDefaultPartitionCount()
    {
        await using var log = SqliteJobLog.Open(_directory.File("defaults.db"), new SqliteJobLogOptions { DefaultPartitions = 7 });
        using var producer = log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord("auto", "k", new byte[] { 1 })], Token);
        Assert.Equal(new TopicDescription("auto", 7), Assert.Single(await log.ListTopicsAsync(Token)));
    }

    [Fact]
    public async Task BatchWithABadPartition_AppendsNothing()
    {
        await _log.EnsureTopicAsync("atomic", 2, Token);
        using var producer = _log.CreateProducer();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await producer.ProduceAsync(
            [new OutgoingRecord("atomic", null, new byte[] { 1 }, null, 0), new OutgoingRecord("atomic", null, new byte[] { 2 }, null, 5)], Token));
        Assert.Contains("partition 5 of topic 'atomic', which has 2 partitions", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _log.GetWatermarksAsync(new TopicPartition("atomic", 0), Token)).High);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("..")]
    [InlineData("ünïcode")]
    public async Task InvalidTopicNames_AreRejectedLikeKafkaDoes(string topic)
    {
        using var producer = _log.CreateProducer();
        await Assert.ThrowsAsync<ArgumentException>(async () => await producer.ProduceAsync([new OutgoingRecord(topic, null, new byte[] { 1 })], Token));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _log.EnsureTopicAsync(topic, 1, Token));
    }

    [Fact]
    public async Task EmptyBatch_ReturnsNoPositions()
    {
        using var producer = _log.CreateProducer();
        Assert.Empty(await producer.ProduceAsync([], Token));
    }

    [Fact]
    public async Task ValueSlices_AreStoredExactly()
    {
        var buffer = Encoding.UTF8.GetBytes("xxhelloyy");
        using var producer = _log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord("slices", null, buffer.AsMemory(2, 5), null, 0)], Token);
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset("slices", 0, 0)]);
        Assert.Equal("hello", Encoding.UTF8.GetString(Consuming.Count(consumer, 1)[0].Value.Span));
    }
}
