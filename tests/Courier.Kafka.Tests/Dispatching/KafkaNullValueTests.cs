using System.Text;
using Confluent.Kafka;
using Courier.Testing;
using Xunit;

namespace Courier.Kafka.Tests.Dispatching;

/// <summary>
/// A Kafka record with a null value (a tombstone, which Courier's own producer never writes but another producer may)
/// in a job topic is a decode dead letter like an empty one, and the job behind it runs: the engine-neutral
/// DispatcherEngineTests.BadBytes cannot write a null through IJobLog, so this one writes it with Confluent.Kafka.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaNullValueTests(KafkaClusterFixture fixture, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispatcher_DeadLettersANullValue_AsDecode_AndRunsTheJobBehindIt()
    {
        var options = new DispatcherOptions
        {
            GroupId = "null-value",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
            Rules = { new JobRule { Type = "alpha", Concurrency = 2 } },
        };
        await using var h = KafkaHarness.Create(fixture.LogOptions(), redis, options, partitions: 1);
        var topic = h.JobTopic("alpha");
        await h.Log.EnsureTopicAsync(topic, 1, Ct);
        using (var producer = new ProducerBuilder<string, byte[]?>(new ProducerConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(new Confluent.Kafka.TopicPartition(topic, 0), new Message<string, byte[]?> { Key = "testwiki", Value = null }, Ct);
        }
        await h.ProduceJobsAsync("alpha", 0, [new TestParams("after-null")]);

        await h.StartAsync();
        await h.WaitUntilAsync(() => !h.Succeeded.IsEmpty, "the job behind the null value succeeded");
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Decode, letter.Class);
        Assert.True(letter.OriginalEvent.IsEmpty);
        Assert.Contains("the record is empty", letter.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Dispatcher.GetStats().Single().Started);
    }
}
