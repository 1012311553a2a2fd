using Confluent.Kafka;
using Courier.Kafka.Consumer;
using Courier.Kafka.Native;
using Courier.Kafka.Producer;
using Courier.Kafka.Tests.Dispatching;
using Courier.Testing;
using Xunit;

namespace Courier.Kafka.Tests;

/// <summary>The development cluster's fault injection, and how the Kafka job log behaves under those faults.</summary>
[Collection(KafkaFaultCollection.Name)]
public sealed class KafkaFaultTests(KafkaClusterFixture fixture, RedisServerFixture redis) : IAsyncLifetime
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

        // A rebalance refusal outside the rebalance callbacks fails at once, without being fatal: the rebalance may be
        // waiting for this thread (librdkafka hands it the revoke), and retrying kept a classic member from rejoining
        // until the group expelled it.
        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.RebalanceInProgress);
        var rebalancing = Assert.Throws<JobLogException>(() => consumer.Commit([new TopicPartitionOffset(topic, 0, 2)]));
        Assert.Contains(nameof(ErrorCode.RebalanceInProgress), rebalancing.Message, StringComparison.Ordinal);
        Assert.False(rebalancing.IsFatal);

        // A transient refusal (the coordinator is busy) is retried inside Commit.
        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.GroupLoadInProgress, ErrorCode.GroupLoadInProgress);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 3)]);
        var committed = await _log.GetCommittedOffsetsAsync(group, [new TopicPartition(topic, 0)], Token);
        Assert.Equal(3, committed[new TopicPartition(topic, 0)]);
    }

    [Fact]
    public async Task Commit_OfWhatTheGroupAlreadyHas_DoesNotAskTheBrokerAgain()
    {
        // The dispatcher commits synchronously on revoke and at shutdown what its background commits usually committed
        // already. Asking again could only fail for reasons that no longer matter (a rebalance under way), or, in the
        // middle of Close, go unanswered: a dispatcher process once hung at stop that way.
        var topic = await CreateTopicAsync(1);
        var group = $"commit-known-{Guid.NewGuid():N}";
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 3)]);

        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.OffsetMetadataTooLarge);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 3)]);
        // The refusal is still queued, so a new offset does reach the broker.
        var failure = Assert.Throws<JobLogException>(() => consumer.Commit([new TopicPartitionOffset(topic, 0, 4)]));
        Assert.Contains(nameof(ErrorCode.OffsetMetadataTooLarge), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreOffsets_WhenABackgroundCommitIsRefused_TellsTheOwner_AndALaterOneCommitsThem()
    {
        var topic = await CreateTopicAsync(1);
        var group = $"store-refused-{Guid.NewGuid():N}";
        var partition = new TopicPartition(topic, 0);
        var failures = new List<JobLogException>();
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions
        {
            GroupId = group,
            CommitInterval = TimeSpan.FromMilliseconds(50),
            BackgroundCommitFailed = failures.Add,
        });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);

        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.OffsetMetadataTooLarge, ErrorCode.OffsetMetadataTooLarge);
        consumer.StoreOffsets([new TopicPartitionOffset(topic, 0, 4)]);
        await Eventually.TrueAsync(async () =>
        {
            // The failures are reported on the owner's thread, from Consume.
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50), Token));
            return failures.Count >= 2 && (await _log.GetCommittedOffsetsAsync(group, [partition], Token)).GetValueOrDefault(partition, -1) == 4;
        }, "two refused background commits are reported and the offset is committed", WaitLimit,
        () => ValueTask.FromResult($"{failures.Count} refused commits reported"), TimeSpan.Zero);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains(nameof(ErrorCode.OffsetMetadataTooLarge), f.Message, StringComparison.Ordinal));
        Assert.Contains($"{topic}[0]", failures[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_KeepsRunningJobs_WhileItsGroupCoordinatorIsDown_AndCommitsThemOnceItIsBack()
    {
        // Regression: the dispatcher committed synchronously on its consumer thread every CommitInterval, and a commit
        // waits for a coordinator that is down (retried for up to RequestTimeout): while it waited, no record was taken
        // and no finished job released its budget. It now stores the offsets, and the engine commits in the background.
        var options = new DispatcherOptions
        {
            CommitInterval = TimeSpan.FromMilliseconds(20),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
        };
        options.Rules.Add(new JobRule { Type = "alpha", Concurrency = 4, Timeout = TimeSpan.FromSeconds(10) });
        var logOptions = fixture.LogOptions();
        // Clients try a broker that was down again within half a second (librdkafka backs off up to 10 s by default).
        logOptions.Consumer!.ReconnectBackoffMaxMs = 500;
        logOptions.Admin = new AdminClientConfig { ReconnectBackoffMaxMs = 500 };
        logOptions.Producer = new ProducerConfig { ReconnectBackoffMaxMs = 500 };
        await using var h = KafkaHarness.Create(logOptions, redis, options);
        using var commitErrors = new CommitErrorCounter(h.Telemetry);
        // The job partitions on brokers 1 and 2 and the group's coordinator on broker 3, so taking broker 3 down takes
        // the coordinator away and leaves the jobs reachable.
        var jobTopic = h.JobTopic("alpha");
        Cluster.CreateTopic(jobTopic, 4);
        for (var p = 0; p < 4; p++)
        {
            Cluster.SetPartitionLeader(jobTopic, p, 1 + (p % 2));
        }
        Cluster.SetGroupCoordinator(options.GroupId, 3);
        var jobs = (await h.EnqueueAsync("alpha", Enumerable.Range(0, 8).Select(i => new TestParams($"before{i}")))).ToList();
        await h.StartAsync();
        await h.WaitIdleAsync();

        Cluster.SetBrokerDown(3);
        // Ten times the concurrency, each job longer than a commit interval: they all run only if the dispatcher keeps
        // taking records and releasing the budget of finished jobs through many commit intervals.
        var during = await h.EnqueueAsync("alpha", Enumerable.Range(0, 40).Select(i => new TestParams($"during{i}", DelayMs: 30)));
        jobs.AddRange(during);
        await Eventually.TrueAsync(() => during.All(j => h.Succeeded.ContainsKey(j.Id)),
            "every job enqueued while the coordinator is down ran", WaitLimit,
            () => $"{during.Count(j => h.Succeeded.ContainsKey(j.Id))} of {during.Count} jobs enqueued while the coordinator is down ran");

        Cluster.SetBrokerUp(3);
        // The offsets are read with clients of their own: the log's admin client, which kept asking the coordinator
        // during the outage, can stay stuck on broker 3 afterwards on the mock cluster (librdkafka spins in "Handle is
        // terminating in state TRY_CONNECT"), which is no fault of the dispatcher's commits.
        await using var reader = new KafkaJobLog(fixture.LogOptions());
        await WaitCommittedAsync(reader, options.GroupId, jobTopic, 4);

        // A commit the coordinator refuses is counted (courier.log.errors, operation=commit), and jobs go on meanwhile.
        Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, ErrorCode.OffsetMetadataTooLarge, ErrorCode.OffsetMetadataTooLarge);
        var refused = await h.EnqueueAsync("alpha", Enumerable.Range(0, 20).Select(i => new TestParams($"refused{i}")));
        jobs.AddRange(refused);
        await Eventually.TrueAsync(() => commitErrors.Count >= 2, "two refused commits were counted", WaitLimit,
            () => $"{commitErrors.Count} refused commits counted");
        await WaitCommittedAsync(reader, options.GroupId, jobTopic, 4);

        // The member kept its partitions throughout, so every job ran exactly once.
        Assert.Equal(jobs.Select(j => j.Id).Order(), h.Succeeded.Keys.Order());
        Assert.Equal(jobs.Count, h.Executions.Count);
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

        JobLogException? failure = null;
        Eventually.True(() => (failure = Record.Exception(() => consumer.Consume(TimeSpan.FromMilliseconds(100), Token)) as JobLogException) is not null,
            "Consume throws a JobLogException", WaitLimit);
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

    /// <summary>Waits until the group has committed every partition of <paramref name="topic"/> to its end.</summary>
    private static async Task WaitCommittedAsync(KafkaJobLog reader, string group, string topic, int partitions)
    {
        var all = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var behind = new List<string>();
        await Eventually.TrueAsync(async () =>
        {
            var committed = await reader.GetCommittedOffsetsAsync(group, all, Token);
            behind.Clear();
            foreach (var partition in all)
            {
                var high = (await reader.GetWatermarksAsync(partition, Token)).High;
                if (committed.GetValueOrDefault(partition) != high)
                {
                    behind.Add($"{partition} committed {committed.GetValueOrDefault(partition)} of {high}");
                }
            }
            return behind.Count == 0;
        }, $"every partition of {topic} is committed to its end", WaitLimit, () => ValueTask.FromResult(string.Join(", ", behind)),
        TimeSpan.FromMilliseconds(25));
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
        TopicPartitionOffset? accepted = null;
        JobLogException? refused = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                accepted = (await producer.ProduceAsync([record], Token).AsTask().WaitAsync(WaitLimit, Token))[0];
                return true;
            }
            catch (JobLogException e)
            {
                refused = e;
                return false;
            }
        }, "the log accepts the record", WaitLimit, () => ValueTask.FromResult(refused?.Message ?? ""), TimeSpan.FromMilliseconds(50));
        return accepted!.Value;
    }

    private List<LogRecord> ReadAll(string topic, int partitions, int expected)
    {
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
        var records = Consuming.Until(seen => seen.Count >= expected, $"{expected} records are read", [consumer], WaitLimit);
        // Nothing beyond what is expected: a duplicate would show up here.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300), Token));
        return records;
    }
}
