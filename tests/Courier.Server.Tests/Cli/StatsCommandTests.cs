using System.Text;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class StatsCommandTests
{
    [Fact]
    public async Task Stats_ReportsBacklogFromTheDispatcherGroupsCommits_AndDeadLetters()
    {
        using var dir = new TempDirectory();
        await using (var log = SqliteJobLog.Open(dir.File("log.db")))
        {
            var topics = new TopicNames();
            using var producer = log.CreateProducer();
            await producer.ProduceAsync(Enumerable.Range(0, 5)
                .Select(i => new OutgoingRecord(topics.JobTopic("refreshLinks"), "enwiki", Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), Partition: 0))
                .ToList(), TestContext.Current.CancellationToken);
            await DeadLetterSeed.SeedAsync(log, topics);
            using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = new DispatcherOptions().GroupId });
            consumer.Assign([new TopicPartitionOffset(topics.JobTopic("refreshLinks"), 0, 0)]);
            consumer.Commit([new TopicPartitionOffset(topics.JobTopic("refreshLinks"), 0, 3)]);
            consumer.Close();
        }

        var json = await CliRun.RunAsync("stats", "--json", "--data", dir.Path);
        var text = await CliRun.RunAsync("stats", "--data", dir.Path);

        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var topic = doc.RootElement.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "mediawiki.job.refreshLinks");
        Assert.Equal("job", topic.GetProperty("kind").GetString());
        var partition0 = topic.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("partition").GetInt32() == 0);
        Assert.Equal(5, partition0.GetProperty("high").GetInt64());
        Assert.Equal(3, partition0.GetProperty("committed").GetInt64());
        Assert.Equal(2, partition0.GetProperty("backlog").GetInt64());
        // The first uncompleted record (offset 3) was appended moments ago: its time is the oldest unprocessed.
        var oldest = partition0.GetProperty("oldest_unprocessed").GetDateTimeOffset();
        Assert.InRange(oldest, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        var deadLetters = doc.RootElement.GetProperty("dead_letters");
        Assert.Equal(3, deadLetters.GetProperty("total").GetInt64());
        Assert.Equal(1, deadLetters.GetProperty("by_type").GetProperty("massMessage").GetProperty("retryable").GetInt64());
        Assert.Equal(1, deadLetters.GetProperty("by_type").GetProperty("refreshLinks").GetProperty("decode").GetInt64());

        Assert.Equal(ExitCodes.Ok, text.ExitCode);
        Assert.Contains("Dead letters in courier.error: 3", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text.Out);
    }

    [Fact]
    public async Task Stats_ExitsWithDataFileError_NamingTheFile_WhenTheLogIsNotADatabase()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("log.db"), new string('x', 8192), TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("stats", "--data", dir.Path);

        Assert.Equal(ExitCodes.DataFile, result.ExitCode);
        Assert.Contains(dir.File("log.db"), result.Error, StringComparison.Ordinal);
    }
}
