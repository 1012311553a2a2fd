using Confluent.Kafka;
using Courier.Kafka.Internal;
using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>The development cluster's fault injection, and how the Kafka job log behaves under those faults.</summary>
[Collection(KafkaFaultCollection.Name)]
public sealed class KafkaFaultTests(KafkaClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private KafkaJobLog _log = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private KafkaDevCluster Cluster => fixture.Cluster;

    public ValueTask InitializeAsync()
    {
        _log = new KafkaJobLog(fixture.LogOptions());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Leave the cluster as the next test expects it, whatever this one did.
        Cluster.SetBrokerUp(-1);
        Cluster.ClearRequestErrors(KafkaApiKeys.Produce);
        Cluster.ClearRequestErrors(KafkaApiKeys.OffsetCommit);
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task Produce_WhileEveryBrokerIsDown_CompletesOnceTheyAreBack_WithEachRecordOnce()
    {
        var topic = await CreateTopicAsync(1);
        using var producer = _log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(topic, null, "before"u8.ToArray())], Token);

        Cluster.SetBrokerDown(-1);
        var during = producer.ProduceAsync(Enumerable.Range(0, 5).Select(i => new OutgoingRecord(topic, null, new[] { (byte)i })).ToList(), Token).AsTask();
        var early = await Task.WhenAny(during, Task.Delay(TimeSpan.FromSeconds(1), Token));
        Assert.NotSame(during, early);
        Cluster.SetBrokerUp(-1);
        var positions = await during.WaitAsync(WaitLimit, Token);

        Assert.Equal([1L, 2, 3, 4, 5], positions.Select(p => p.Offset));
        var records = ReadAll(topic, 1, 6);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal([0, 1, 2, 3, 4], records.Skip(1).Select(r => (int)r.Value.Span[0]));
    }

    [Fact]
    public async Task Produce_RetriableBrokerErrors_AreRetriedByTheIdempotentProducer_WithoutDuplicatesOrReordering()
    {
        var topic = await CreateTopicAsync(1);
        using var producer = _log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(topic, null, "warm-up"u8.ToArray())], Token);

        Cluster.PushRequestErrors(KafkaApiKeys.Produce,
            ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas, ErrorCode.Local_Transport);
        var positions = await producer.ProduceAsync(
            Enumerable.Range(0, 20).Select(i => new OutgoingRecord(topic, null, new[] { (byte)i })).ToList(), Token).AsTask().WaitAsync(WaitLimit, Token);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), positions.Select(p => p.Offset));
        var records = ReadAll(topic, 1, 21);
        Assert.Equal(Enumerable.Range(0, 20), records.Skip(1).Select(r => (int)r.Value.Span[0]));
    }

    [Fact]
    public async Task Produce_NonRetriableBrokerError_FailsTheBatch_NamingTopicPartitionAndError_AndTheProducerGoesOn()
    {
        var topic = await CreateTopicAsync(1);
        using var producer = _log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(topic, null, "warm-up"u8.ToArray())], Token);

        Cluster.PushRequestErrors(KafkaApiKeys.Produce, ErrorCode.TopicAuthorizationFailed);
        var failure = await Assert.ThrowsAsync<JobLogException>(async () =>
            await producer.ProduceAsync([new OutgoingRecord(topic, null, "refused"u8.ToArray())], Token).AsTask().WaitAsync(WaitLimit, Token));
        Assert.Contains($"{topic}[0]", failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ErrorCode.TopicAuthorizationFailed), failure.Message, StringComparison.Ordinal);

        var after = await ProduceUntilAcceptedAsync(producer, new OutgoingRecord(topic, null, "after"u8.ToArray()));
        Assert.Equal(topic, after.Topic);
    }

    [Fact]
    public async Task Commit_RefusedByTheBroker_ThrowsJobLogException_AndALaterCommitSucceeds()
    {
        var topic = await CreateTopicAsync(1);
        var group = $"commit-refused-{Guid.NewGuid():N}";
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 1)]);

        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.OffsetMetadataTooLarge);
        var failure = Assert.Throws<JobLogException>(() => consumer.Commit([new TopicPartitionOffset(topic, 0, 2)]));
        Assert.Contains(nameof(ErrorCode.OffsetMetadataTooLarge), failure.Message, StringComparison.Ordinal);

        // A transient refusal (the coordinator is busy) is retried inside Commit.
        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.GroupLoadInProgress, ErrorCode.GroupLoadInProgress);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 3)]);
        var committed = await _log.GetCommittedOffsetsAsync(group, [new TopicPartition(topic, 0)], Token);
        Assert.Equal(3, committed[new TopicPartition(topic, 0)]);
    }

    [Fact]
    public async Task Consume_AfterAFatalClientError_ThrowsJobLogException()
    {
        var topic = await CreateTopicAsync(1);
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(100), Token));

        var client = ((KafkaJobLogConsumer)consumer).Client;
        Assert.Equal(ErrorCode.NoError, NativeMethods.WithKafkaHandle(client.Handle,
            rk => NativeMethods.TestFatalError(rk, ErrorCode.OutOfOrderSequenceNumber, "injected by a test")));

        var deadline = DateTime.UtcNow + WaitLimit;
        JobLogException? failure = null;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            failure = Record.Exception(() => consumer.Consume(TimeSpan.FromMilliseconds(100), Token)) as JobLogException;
        }
        Assert.NotNull(failure);
        Assert.Contains("fatal", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(failure.IsFatal, "a fatal client error must be marked so the dispatcher replaces the consumer");
        // And it stays failed: the owner must replace the consumer.
        Assert.True(Assert.Throws<JobLogException>(() => consumer.Consume(TimeSpan.FromMilliseconds(10), Token)).IsFatal);
    }

    [Fact]
    public async Task Produce_AfterAFatalProducerError_GoesOnWithANewProducer()
    {
        var topic = await CreateTopicAsync(1);
        using var producer = _log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(topic, null, "before"u8.ToArray())], Token);
        var first = ((KafkaJobLogProducer)producer).Client;

        Assert.Equal(ErrorCode.NoError, NativeMethods.WithKafkaHandle(first.Handle,
            rk => NativeMethods.TestFatalError(rk, ErrorCode.OutOfOrderSequenceNumber, "injected by a test")));
        await ProduceUntilAcceptedAsync(producer, new OutgoingRecord(topic, null, "after"u8.ToArray()));

        Assert.NotSame(first, ((KafkaJobLogProducer)producer).Client);
        var values = ReadAll(topic, 1, 2).Select(r => System.Text.Encoding.UTF8.GetString(r.Value.Span)).ToList();
        Assert.Equal(["before", "after"], values);
    }

    private async Task<string> CreateTopicAsync(int partitions)
    {
        var topic = $"faults-{Guid.NewGuid():N}";
        await _log.EnsureTopicAsync(topic, partitions, Token);
        return topic;
    }

    /// <summary>Produces until the log accepts the record (a failure right after a fault is allowed), failing at the wait limit.</summary>
    private static async Task<TopicPartitionOffset> ProduceUntilAcceptedAsync(IJobLogProducer producer, OutgoingRecord record)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            try
            {
                return (await producer.ProduceAsync([record], Token).AsTask().WaitAsync(WaitLimit, Token))[0];
            }
            catch (JobLogException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Token);
            }
        }
    }

    private List<LogRecord> ReadAll(string topic, int partitions, int expected)
    {
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + WaitLimit;
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100), Token) is { } record)
            {
                records.Add(record);
            }
        }
        // Nothing beyond what is expected: a duplicate would show up here.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300), Token));
        return records;
    }
}
