using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Courier.Sqlite.Tests;

public sealed class SqliteJobLogFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Reopen_KeepsRecordsOffsetsTopicsAndCommits()
    {
        var path = _directory.File("durable.db");
        await using (var log = SqliteJobLog.Open(path))
        {
            using var producer = log.CreateProducer();
            await producer.ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord("jobs", $"k{i}", Encoding.UTF8.GetBytes($"v{i}"), [new LogHeader("n", [(byte)i])])).ToList(), Token);
            using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = "dispatcher" });
            consumer.Assign([new TopicPartitionOffset("jobs", 0, 0)]);
            consumer.Commit([new TopicPartitionOffset("jobs", 0, 1), new TopicPartitionOffset("jobs", 3, 2)]);
            consumer.Close();
        }

        await using (var log = SqliteJobLog.Open(path))
        {
            Assert.Equal(new TopicDescription("jobs", 4), Assert.Single(await log.ListTopicsAsync(Token)));
            var partitions = Enumerable.Range(0, 4).Select(p => new TopicPartition("jobs", p)).ToList();
            long total = 0;
            foreach (var partition in partitions)
            {
                total += (await log.GetWatermarksAsync(partition, Token)).High;
            }
            Assert.Equal(10, total);
            var committed = await log.GetCommittedOffsetsAsync("dispatcher", partitions, Token);
            Assert.Equal(1, committed[partitions[0]]);
            Assert.Equal(2, committed[partitions[3]]);

            using var consumer = log.CreateConsumer(new JobLogConsumerOptions());
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, 0)).ToList());
            var records = Consuming.Count(consumer, 10);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}").Order(), records.Select(r => Encoding.UTF8.GetString(r.Value.Span)).Order());
            Assert.All(records, r => Assert.Equal(r.Key![1..], Encoding.UTF8.GetString(r.Value.Span)[1..]));

            // Offsets continue where they were.
            using var producer = log.CreateProducer();
            var next = await producer.ProduceAsync([new OutgoingRecord("jobs", null, new byte[] { 1 }, null, 0)], Token);
            Assert.Equal(records.Count(r => r.Partition == 0), next[0].Offset);
        }
    }

    [Fact]
    public async Task Open_CreatesMissingDirectories_AndUsesWal()
    {
        var path = Path.Combine(_directory.Path, "a", "b", "log.db");
        await using (var log = SqliteJobLog.Open(path))
        {
            Assert.Equal(Path.GetFullPath(path), log.Path);
            Assert.Equal("sqlite", log.EngineName);
        }
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Open_EmptyExistingFile_BecomesALog()
    {
        var path = _directory.File("empty.db");
        await File.WriteAllBytesAsync(path, [], Token);
        await using var log = SqliteJobLog.Open(path);
        await log.EnsureTopicAsync("t", 1, Token);
        Assert.Single(await log.ListTopicsAsync(Token));
    }

    [Fact]
    public async Task Open_FileOfRandomBytes_FailsNamingThePath()
    {
        var path = _directory.File("random.db");
        var bytes = new byte[16384];
        new Random(42).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes, Token);

        var error = Assert.Throws<JobLogException>(() => SqliteJobLog.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a Courier data file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Directory_FailsNamingThePath()
    {
        var error = Assert.Throws<JobLogException>(() => SqliteJobLog.Open(_directory.Path));
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AnotherApplicationsSqliteDatabase_FailsAsNotCourier()
    {
        var path = _directory.File("other.db");
        Execute(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");

        var error = Assert.Throws<JobLogException>(() => SqliteJobLog.Open(path));
        Assert.Contains($"{path} is not a Courier data file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FileFromANewerCourier_IsRefused()
    {
        var path = _directory.File("newer.db");
        await (SqliteJobLog.Open(path)).DisposeAsync();
        Execute(path, "PRAGMA user_version = 99");

        var error = Assert.Throws<JobLogException>(() => SqliteJobLog.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer Courier", error.Message, StringComparison.Ordinal);
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_WhileAnotherConnectionHoldsTheWriteLock_FailsAfterTheBusyTimeoutWithAClearError()
    {
        var path = _directory.File("locked.db");
        await using var log = SqliteJobLog.Open(path, new SqliteJobLogOptions { BusyTimeout = TimeSpan.FromMilliseconds(200) });
        using var blocker = new SqliteConnection($"Data Source={path};Pooling=false");
        blocker.Open();
        using var begin = blocker.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();

        using var producer = log.CreateProducer();
        var error = await Assert.ThrowsAsync<JobLogException>(async () =>
            await producer.ProduceAsync([new OutgoingRecord("t", null, new byte[] { 1 })], Token));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);

        using var rollback = blocker.CreateCommand();
        rollback.CommandText = "ROLLBACK";
        rollback.ExecuteNonQuery();
        var positions = await producer.ProduceAsync([new OutgoingRecord("t", null, new byte[] { 1 })], Token);
        Assert.Equal(0, positions[0].Offset);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // test-only constant SQL
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
