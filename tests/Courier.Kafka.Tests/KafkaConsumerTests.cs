using Confluent.Kafka;
using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>Kafka-specific consumer behaviour beyond the compliance suite.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaConsumerTests(KafkaClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private KafkaJobLog _log = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _log = new KafkaJobLog(fixture.LogOptions());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task Pause_RightAfterARecord_DropsWhatWasPrefetched_AndResumeContinuesWithTheNextOffset()
    {
        // What the dispatcher does when it parks a record: the partition has many records prefetched behind it.
        var topic = $"pause-{Guid.NewGuid():N}";
        await _log.EnsureTopicAsync(topic, 1, Token);
        using (var producer = _log.CreateProducer())
        {
            await producer.ProduceAsync(Enumerable.Range(0, 2000).Select(i => new OutgoingRecord(topic, null, BitConverter.GetBytes(i))).ToList(), Token);
        }
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        var partition = new TopicPartition(topic, 0);
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);

        var expected = 0L;
        for (var round = 0; round < 5; round++)
        {
            // Read a varying stretch so the pause lands at different points of librdkafka's prefetch.
            for (var i = 0; i < 1 + (round * 97); i++)
            {
                Assert.Equal(expected++, Next(consumer).Offset);
            }
            consumer.Pause([partition]);
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300), Token));
            consumer.Resume([partition]);
        }
        Assert.Equal(expected, Next(consumer).Offset);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subscribe_ToAPattern_ReadsEveryMatchingTopic_IncludingOnesCreatedLater(bool classic)
    {
        var prefix = $"pattern{Guid.NewGuid():N}";
        await using var log = new KafkaJobLog(classic ? fixture.ClassicLogOptions() : fixture.LogOptions());
        await log.EnsureTopicAsync($"{prefix}-first", 1, Token);
        await log.EnsureTopicAsync($"other{prefix}", 1, Token);
        using var producer = log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord($"{prefix}-first", null, "1"u8.ToArray()), new OutgoingRecord($"other{prefix}", null, "x"u8.ToArray())], Token);

        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = $"g-{prefix}" });
        consumer.Subscribe([$"^{prefix}-.*"]);
        Assert.Equal($"{prefix}-first", Next(consumer).Topic);

        await log.EnsureTopicAsync($"{prefix}-second", 1, Token);
        await producer.ProduceAsync([new OutgoingRecord($"{prefix}-second", null, "2"u8.ToArray())], Token);
        Assert.Equal($"{prefix}-second", Next(consumer).Topic);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300), Token));
        consumer.Close();
    }

    [Fact]
    public async Task Subscribe_ClassicGroupWithAPattern_JoinsWithoutWaitingForABrokerConnection()
    {
        // Regression: a classic group member whose subscription held a pattern (the dispatcher's retry topics) got its
        // first record ~2 s after subscribing (~0.15 s without the pattern). Its new client had no broker connection, so
        // librdkafka could not fetch the metadata a pattern join needs and postponed the join (its debug log says so);
        // Subscribe now fetches that metadata first. Checked on librdkafka's own account rather than on a clock.
        var logs = new LogCapture();
        var options = fixture.ClassicLogOptions();
        options.Consumer!.Debug = "cgrp";
        options.LoggerFactory = logs;
        await using var log = new KafkaJobLog(options);
        var topic = $"joined-{Guid.NewGuid():N}";
        await log.EnsureTopicAsync(topic, 2, Token);
        using (var producer = log.CreateProducer())
        {
            await producer.ProduceAsync([new OutgoingRecord(topic, "k", "first"u8.ToArray())], Token);
        }

        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = $"g-{topic}" });
        consumer.Subscribe([topic, $"^{topic}\\.retry\\..*"]);
        Assert.Equal(topic, Next(consumer).Topic);
        consumer.Close();

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Contains("Joining group", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("postponing join until up-to-date metadata can be requested", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("enable.auto.commit", "false")]
    [InlineData("enable.auto.offset.store", "true")]
    [InlineData("auto.offset.reset", "latest")]
    public void Create_WithAConsumerSettingThatBreaksTheGuarantees_Fails(string key, string value)
    {
        var options = fixture.LogOptions();
        options.Consumer!.Set(key, value);
        var failure = Assert.Throws<ArgumentException>(() => new KafkaJobLog(options));
        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("enable.idempotence", "false")]
    [InlineData("acks", "1")]
    public void Create_WithAProducerSettingThatBreaksTheGuarantees_Fails(string key, string value)
    {
        var options = fixture.LogOptions();
        options.Producer = new ProducerConfig();
        options.Producer.Set(key, value);
        Assert.Throws<ArgumentException>(() => new KafkaJobLog(options));
    }

    [Fact]
    public async Task GetCommittedOffsets_ForNoPartitions_IsEmpty_NotTheWholeGroup()
    {
        var topic = $"committed-{Guid.NewGuid():N}";
        var group = $"g-{topic}";
        await _log.EnsureTopicAsync(topic, 1, Token);
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Empty(await _log.GetCommittedOffsetsAsync(group, [], Token));
    }

    [Fact]
    public async Task ListTopics_LeavesOutKafkasInternalTopics()
    {
        var topic = $"listed-{Guid.NewGuid():N}";
        var group = $"g-{topic}";
        await _log.EnsureTopicAsync(topic, 2, Token);
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 0)]);

        var topics = await _log.ListTopicsAsync(Token);
        Assert.Equal(2, Assert.Single(topics, t => t.Name == topic).Partitions);
        Assert.DoesNotContain(topics, t => t.Name.StartsWith("__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureTopic_FromAnotherProcessOfTheDevCluster_FallsBackToAutoCreation()
    {
        var (topic, lines) = await EnsureTopicFromElsewhereAsync(partitions: 2);

        // The operator is told the topic has the broker's count, not the one asked for, and which is which.
        var warning = Assert.Single(lines, l => l.Contains("[2208]", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
        Assert.Contains($"topic {topic} was auto-created with the broker's default of 4 partitions instead of 2", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureTopic_AutoCreatedWithTheCountAskedFor_WarnsOfNothing()
    {
        // Asking for the mock's own default of 4: the topic is as asked, so there is nothing to warn of (a warning of
        // "4 partitions instead of 4" would contradict itself).
        var (topic, lines) = await EnsureTopicFromElsewhereAsync(partitions: 4);

        Assert.DoesNotContain(lines, l => l.Contains("[2208]", StringComparison.Ordinal));
        // It is still recorded, as any other creation is.
        Assert.Contains(lines, l => l.Contains($"[2207] Created Kafka topic {topic} with 4 partitions", StringComparison.Ordinal));
    }

    /// <summary>
    /// Ensures a new topic (twice) from a log that only knows the bootstrap list, as `courier serve` in another process
    /// would: the mock brokers do not implement CreateTopics, so the topic is auto-created with the mock's default of 4
    /// partitions. Returns the topic and what the log logged.
    /// </summary>
    private async Task<(string Topic, IReadOnlyList<string> Lines)> EnsureTopicFromElsewhereAsync(int partitions)
    {
        var logs = new LogCapture();
        await using var log = new KafkaJobLog(new KafkaJobLogOptions
        {
            BootstrapServers = fixture.Cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(15), LoggerFactory = logs,
        });
        var topic = $"elsewhere-{Guid.NewGuid():N}";
        await log.EnsureTopicAsync(topic, partitions, Token);
        Assert.Equal(4, Assert.Single(await log.ListTopicsAsync(Token), t => t.Name == topic).Partitions);
        await log.EnsureTopicAsync(topic, partitions, Token);
        return (topic, logs.Lines);
    }

    private static LogRecord Next(IJobLogConsumer consumer) => Consuming.Count(consumer, 1, WaitLimit)[0];
}
