using System.Runtime.CompilerServices;
using System.Text;
using CsCheck;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// The job log's contract, as tests. An engine's test project inherits this class and overrides
/// <see cref="CreateLogAsync"/>; every test then runs against that engine. Each test uses topics and groups of its own
/// (unique names), so engines may hand out one shared broker per test class.
/// </summary>
/// <remarks>
/// Waits are bounded by <see cref="WaitLimit"/> and poll a condition; nothing asserts on elapsed time. Consumers that
/// take part in group tests run on threads of their own, as in a dispatcher.
/// </remarks>
public abstract partial class JobLogComplianceTests : IAsyncLifetime
{
    private readonly List<IJobLogConsumer> _consumers = [];
    private readonly List<GroupConsumerRunner> _runners = [];
    private IJobLog? _log;

    /// <summary>The engine under test, created per test.</summary>
    protected IJobLog Log => _log ?? throw new InvalidOperationException("The log is created in InitializeAsync.");

    /// <summary>Upper bound for any wait on the engine: deliveries, group joins, rebalances.</summary>
    protected virtual TimeSpan WaitLimit => TimeSpan.FromSeconds(30);

    /// <summary>How long a test watches for something that must not happen, such as delivery from a paused partition.</summary>
    protected virtual TimeSpan QuietPeriod => TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Why the engine, as this test class sets it up, cannot meet the named test (it is then skipped with that reason),
    /// or null. Only for limits of a test double outside Courier — such as librdkafka's mock brokers, whose consumer
    /// groups differ from Kafka's — never for a gap in the engine itself; the reason must say which.
    /// </summary>
    protected virtual string? KnownLimitation(string test) => null;

    /// <summary>Creates the log under test. Called once per test.</summary>
    protected abstract Task<IJobLog> CreateLogAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync() => _log = await CreateLogAsync();

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        foreach (var runner in _runners)
        {
            // A runner that failed has already failed its test; here it only has to end.
            await Task.WhenAny(runner.StopAsync(), Task.Delay(WaitLimit, CancellationToken.None));
        }
        foreach (var consumer in _consumers)
        {
            consumer.Dispose();
        }
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    // ---- producing and reading back ---------------------------------------------------------------------------

    [Fact]
    public async Task Produce_ThenConsume_ReturnsEveryRecordOnceInPartitionOrder_WithKeyValueHeadersAndTimestamp()
    {
        var topic = await CreateTopicAsync(4);
        var produced = Enumerable.Range(0, 60).Select(i => new OutgoingRecord(
            topic,
            i % 5 == 0 ? null : i == 1 ? "" : $"wiki-{i % 7}",
            i % 11 == 0 ? Array.Empty<byte>() : Encoding.UTF8.GetBytes($"value-{i}"),
            i % 3 == 0 ? [new LogHeader("h", [(byte)i]), new LogHeader("empty", []), new LogHeader("h", [(byte)(i + 1)])] : null))
            .ToList();
        var before = DateTimeOffset.UtcNow;
        var positions = (await ProduceAsync(produced.Take(25))).Concat(await ProduceAsync(produced.Skip(25))).ToList();
        var after = DateTimeOffset.UtcNow;

        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
        var consumed = ConsumeCount(consumer, produced.Count);
        Assert.Null(consumer.Consume(QuietPeriod, Token));

        Assert.Equal(Sorted(positions), Sorted(consumed.Select(r => r.Position)));
        foreach (var group in consumed.GroupBy(r => r.Partition))
        {
            var offsets = group.Select(r => r.Offset).ToList();
            Assert.Equal(offsets.Order().ToList(), offsets);
        }
        var byPosition = consumed.ToDictionary(r => r.Position);
        for (var i = 0; i < produced.Count; i++)
        {
            var record = byPosition[positions[i]];
            Assert.Equal(topic, record.Topic);
            Assert.Equal(produced[i].Key, record.Key);
            Assert.Equal(produced[i].Value.ToArray(), record.Value.ToArray());
            var expectedHeaders = produced[i].Headers ?? [];
            Assert.Equal(expectedHeaders.Select(h => (h.Key, Convert.ToHexString(h.Value))), record.Headers.Select(h => (h.Key, Convert.ToHexString(h.Value))));
            Assert.InRange(record.Timestamp, before.AddSeconds(-5), after.AddSeconds(5));
        }
        Assert.Equal([(byte)4], byPosition[positions[3]].GetHeader("h") ?? []);
    }

    [Fact]
    public async Task Produce_SameKey_AlwaysLandsInTheSamePartition()
    {
        var topic = await CreateTopicAsync(4);
        var keys = Enumerable.Range(0, 12).Select(i => $"key-{i}").ToList();
        var positions = new List<(string Key, int Partition)>();
        for (var batch = 0; batch < 3; batch++)
        {
            var records = keys.Select(k => new OutgoingRecord(topic, k, Encoding.UTF8.GetBytes(k))).ToList();
            var produced = await ProduceAsync(records);
            positions.AddRange(keys.Zip(produced, (k, p) => (k, p.Partition)));
        }
        foreach (var key in keys)
        {
            Assert.Single(positions.Where(p => p.Key == key).Select(p => p.Partition).Distinct());
        }
        Assert.True(positions.Select(p => p.Partition).Distinct().Count() > 1, "12 keys over 4 partitions should use more than one partition.");
    }

    [Fact]
    public async Task Produce_ExplicitPartition_WinsOverTheKey()
    {
        var topic = await CreateTopicAsync(4);
        var records = Enumerable.Range(0, 8).Select(i => new OutgoingRecord(topic, $"key-{i}", new byte[] { (byte)i }, null, 2)).ToList();
        var positions = await ProduceAsync(records);
        Assert.All(positions, p => Assert.Equal(2, p.Partition));

        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 2, 0)]);
        var consumed = ConsumeCount(consumer, 8);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (byte)i), consumed.Select(r => r.Value.Span[0]));
    }

    [Fact]
    public async Task Produce_PartitionOutOfRange_Fails()
    {
        var topic = await CreateTopicAsync(4);
        using var producer = Log.CreateProducer();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await producer.ProduceAsync([new OutgoingRecord(topic, null, new byte[] { 1 }, null, 9)], Token));
    }

    [Fact]
    public async Task Produce_OffsetsAreDenseFromZero_AndMatchWhatConsumeSees()
    {
        var topic = await CreateTopicAsync(1);
        var positions = new List<TopicPartitionOffset>();
        foreach (var size in new[] { 5, 1, 10 })
        {
            positions.AddRange(await ProduceAsync(Enumerable.Range(0, size).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i }))));
        }
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), positions.Select(p => p.Offset));

        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Equal(positions, ConsumeCount(consumer, 16).Select(r => r.Position));

        var spread = await CreateTopicAsync(4);
        var spreadPositions = await ProduceAsync(Enumerable.Range(0, 40).Select(i => new OutgoingRecord(spread, $"k{i}", new byte[] { (byte)i })));
        foreach (var partition in spreadPositions.GroupBy(p => p.Partition))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(p => p.Offset));
        }
    }

    [Fact]
    public async Task Watermarks_StartAtZero_AndHighFollowsAppends()
    {
        var topic = await CreateTopicAsync(2);
        Assert.Equal(new PartitionWatermarks(0, 0), await Log.GetWatermarksAsync(new TopicPartition(topic, 0), Token));
        await ProduceAsync(Enumerable.Range(0, 5).Select(i => new OutgoingRecord(topic, null, new byte[] { 1 }, null, 0)));
        Assert.Equal(new PartitionWatermarks(0, 5), await Log.GetWatermarksAsync(new TopicPartition(topic, 0), Token));
        Assert.Equal(new PartitionWatermarks(0, 0), await Log.GetWatermarksAsync(new TopicPartition(topic, 1), Token));
    }

    [Fact]
    public async Task Consume_ReturnsNull_WhenNothingArrivesInTime()
    {
        var topic = await CreateTopicAsync(1);
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Null(consumer.Consume(QuietPeriod, Token));
    }

    [Fact]
    public async Task Consume_WakesUpForARecordProducedWhileWaiting()
    {
        var topic = await CreateTopicAsync(1);
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50), Token));
        var wait = Task.Factory.StartNew(
            () => consumer.Consume(WaitLimit, Token), Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await ProduceAsync([new OutgoingRecord(topic, null, "late"u8.ToArray())]);
        var record = await wait.WaitAsync(WaitLimit + WaitLimit, Token);
        Assert.NotNull(record);
        Assert.Equal("late", Encoding.UTF8.GetString(record.Value.Span));
    }

    // ---- offsets, groups, positions ---------------------------------------------------------------------------

    [Fact]
    public async Task Commit_ThenANewConsumerOfTheGroup_ResumesRightAfterTheCommit()
    {
        var topic = await CreateTopicAsync(1);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));

        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        first.Subscribe([topic]);
        var read = ConsumeCount(first, 4);
        Assert.Equal([0L, 1, 2, 3], read.Select(r => r.Offset));
        first.Commit([new TopicPartitionOffset(topic, 0, 4)]);
        first.Close();

        var second = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        second.Subscribe([topic]);
        Assert.Equal([4L, 5, 6, 7, 8, 9], ConsumeCount(second, 6).Select(r => r.Offset));
        Assert.Null(second.Consume(QuietPeriod, Token));
    }

    [Fact]
    public async Task StoreOffsets_ThenClose_ANewConsumerOfTheGroup_ResumesRightAfterTheStoredOffsets()
    {
        var topic = await CreateTopicAsync(2);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 20).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i }, null, i % 2)));

        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        first.Subscribe([topic]);
        ConsumeCount(first, 20);
        first.StoreOffsets([new TopicPartitionOffset(topic, 0, 3), new TopicPartitionOffset(topic, 1, 6)]);
        first.Close();

        var second = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        second.Subscribe([topic]);
        var resumed = ConsumeCount(second, 7 + 4);
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), resumed.Where(r => r.Partition == 0).Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(6, 4).Select(i => (long)i), resumed.Where(r => r.Partition == 1).Select(r => r.Offset));
        Assert.Null(second.Consume(QuietPeriod, Token));
    }

    [Fact]
    public async Task StoreOffsets_AreCommittedInTheBackground_WhileTheConsumerGoesOn()
    {
        var topic = await CreateTopicAsync(1);
        var group = NewName("group");
        var partition = new TopicPartition(topic, 0);
        await ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var consumer = CreateConsumer(new JobLogConsumerOptions { GroupId = group, CommitInterval = TimeSpan.FromMilliseconds(100) });
        consumer.Subscribe([topic]);
        ConsumeCount(consumer, 10);

        consumer.StoreOffsets([new TopicPartitionOffset(topic, 0, 7)]);
        // No Commit and no Close: the engine commits by itself. Consume goes on meanwhile, as an owner's loop would.
        await Eventually.TrueAsync(async () =>
        {
            Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(50), Token));
            return (await Log.GetCommittedOffsetsAsync(group, [partition], Token)).GetValueOrDefault(partition, -1) == 7;
        }, "the stored offset is committed", WaitLimit, interval: TimeSpan.Zero);
    }

    [Fact]
    public async Task StoreOffsets_ThenACommitOfALaterOffset_ANewConsumerResumesAfterTheCommit()
    {
        // The commit replaces what was stored: leaving the group must not commit the older stored offset over it.
        var topic = await CreateTopicAsync(1);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        first.Subscribe([topic]);
        ConsumeCount(first, 10);
        first.StoreOffsets([new TopicPartitionOffset(topic, 0, 5)]);
        first.Commit([new TopicPartitionOffset(topic, 0, 7)]);
        first.Close();

        var second = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        second.Subscribe([topic]);
        Assert.Equal([7L, 8, 9], ConsumeCount(second, 3).Select(r => r.Offset));
        Assert.Null(second.Consume(QuietPeriod, Token));
    }

    [Fact]
    public async Task StoreOffsets_RejectsWhatCommitRejects_WithTheSameException()
    {
        var topic = await CreateTopicAsync(1);
        var grouped = CreateConsumer(new JobLogConsumerOptions { GroupId = NewName("group") });
        grouped.Subscribe([topic]);
        PollUntil(grouped, () => grouped.Assignment.Count == 1, "the only member gets the partition");
        var ungrouped = CreateConsumer(new JobLogConsumerOptions());
        ungrouped.Assign([new TopicPartitionOffset(topic, 0, 0)]);

        (IJobLogConsumer Consumer, IReadOnlyCollection<TopicPartitionOffset> Offsets, string What)[] invalid =
        [
            (ungrouped, [new TopicPartitionOffset(topic, 0, 1)], "no consumer group"),
            (grouped, null!, "null offsets"),
            (grouped, [new TopicPartitionOffset(topic, -1, 1)], "a negative partition"),
            (grouped, [new TopicPartitionOffset(topic, 0, -1)], "a negative offset"),
            (grouped, [new TopicPartitionOffset("not a topic name!", 0, 1)], "an invalid topic name"),
        ];
        foreach (var (consumer, offsets, what) in invalid)
        {
            var commit = Record.Exception(() => consumer.Commit(offsets));
            var store = Record.Exception(() => consumer.StoreOffsets(offsets));
            Assert.True(commit is not null, $"Commit accepted {what}");
            Assert.True(commit.GetType() == store?.GetType(), $"{what}: Commit threw {commit.GetType().Name}, StoreOffsets {store?.GetType().Name ?? "nothing"}");
        }
        grouped.StoreOffsets([]);
        grouped.Commit([]);
    }

    [Fact]
    public async Task StoreOffsets_ForAPartitionNotAssigned_Throws_AndStoresNothing()
    {
        // The owner knows its assignment exactly (it changes only inside Consume), so an offset for a partition it does
        // not hold is a mistake: refused as a whole, like Seek, rather than half applied or silently dropped.
        var topic = await CreateTopicAsync(1);
        var other = await CreateTopicAsync(1);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 5).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        first.Subscribe([topic]);
        ConsumeCount(first, 5);

        var failure = Assert.Throws<InvalidOperationException>(() =>
            first.StoreOffsets([new TopicPartitionOffset(topic, 0, 3), new TopicPartitionOffset(other, 0, 1)]));
        Assert.Contains(other, failure.Message, StringComparison.Ordinal);
        first.Close();

        var second = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        second.Subscribe([topic]);
        Assert.Equal([0L, 1, 2, 3, 4], ConsumeCount(second, 5).Select(r => r.Offset));
    }

    [Fact]
    public async Task Consume_InAnotherGroup_StartsFromTheBeginning()
    {
        var topic = await CreateTopicAsync(1);
        await ProduceAsync(Enumerable.Range(0, 5).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = NewName("group-a") });
        first.Subscribe([topic]);
        ConsumeCount(first, 5);
        first.Commit([new TopicPartitionOffset(topic, 0, 5)]);
        first.Close();

        var other = CreateConsumer(new JobLogConsumerOptions { GroupId = NewName("group-b") });
        other.Subscribe([topic]);
        Assert.Equal([0L, 1, 2, 3, 4], ConsumeCount(other, 5).Select(r => r.Offset));
    }

    [Fact]
    public async Task UncommittedRecords_AreRedeliveredToTheNextConsumerOfTheGroup()
    {
        var topic = await CreateTopicAsync(1);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var first = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        first.Subscribe([topic]);
        ConsumeCount(first, 10);
        first.Commit([new TopicPartitionOffset(topic, 0, 3)]);
        first.Close();

        var second = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        second.Subscribe([topic]);
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), ConsumeCount(second, 7).Select(r => r.Offset));
    }

    [Fact]
    public async Task Seek_Back_RereadsFromThatOffset()
    {
        var topic = await CreateTopicAsync(1);
        await ProduceAsync(Enumerable.Range(0, 10).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i })));
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        Assert.Equal([0L, 1, 2, 3, 4, 5], ConsumeCount(consumer, 6).Select(r => r.Offset));
        consumer.Seek(new TopicPartitionOffset(topic, 0, 2));
        Assert.Equal(Enumerable.Range(2, 8).Select(i => (long)i), ConsumeCount(consumer, 8).Select(r => r.Offset));
    }

    [Fact]
    public async Task Pause_StopsDeliveryFromThatPartition_AndResumeContinuesWhereItStopped()
    {
        var topic = await CreateTopicAsync(2);
        await ProduceAsync(Enumerable.Range(0, 20).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i }, null, i % 2)));
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        var paused = new TopicPartition(topic, 0);
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0), new TopicPartitionOffset(topic, 1, 0)]);

        var beforePause = ConsumeUntil(consumer, seen => seen.Count(r => r.Partition == 0) >= 3, "3 records of partition 0 are consumed");
        consumer.Pause([paused]);
        var whilePaused = ConsumeUntilQuiet(consumer);
        Assert.DoesNotContain(whilePaused, r => r.Partition == 0);
        var partition1 = beforePause.Concat(whilePaused).Where(r => r.Partition == 1).Select(r => r.Offset).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), partition1);

        consumer.Resume([paused]);
        var afterResume = ConsumeCount(consumer, 10 - beforePause.Count(r => r.Partition == 0));
        var partition0 = beforePause.Concat(afterResume).Where(r => r.Partition == 0).Select(r => r.Offset).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), partition0);
    }

    [Fact]
    public async Task Assign_ReadsFromTheGivenOffsets_WithoutAGroup()
    {
        var topic = await CreateTopicAsync(2);
        await ProduceAsync(Enumerable.Range(0, 20).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i }, null, i % 2)));
        var consumer = CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([new TopicPartitionOffset(topic, 0, 7), new TopicPartitionOffset(topic, 1, 3)]);
        Assert.Equal(2, consumer.Assignment.Count);
        var consumed = ConsumeCount(consumer, 10);
        Assert.Null(consumer.Consume(QuietPeriod, Token));
        Assert.Equal([7L, 8, 9], consumed.Where(r => r.Partition == 0).Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(3, 7).Select(i => (long)i), consumed.Where(r => r.Partition == 1).Select(r => r.Offset));
    }

    [Fact]
    public async Task GetCommittedOffsets_ReturnsWhatWasCommitted_AndOmitsTheRest()
    {
        var topic = await CreateTopicAsync(2);
        var group = NewName("group");
        await ProduceAsync(Enumerable.Range(0, 6).Select(i => new OutgoingRecord(topic, null, new byte[] { (byte)i }, null, 0)));
        var partitions = new[] { new TopicPartition(topic, 0), new TopicPartition(topic, 1) };
        Assert.Empty(await Log.GetCommittedOffsetsAsync(group, partitions, Token));

        var consumer = CreateConsumer(new JobLogConsumerOptions { GroupId = group });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        consumer.Commit([new TopicPartitionOffset(topic, 0, 5)]);

        var committed = await Log.GetCommittedOffsetsAsync(group, partitions, Token);
        Assert.Equal(5, Assert.Single(committed, c => c.Key == partitions[0]).Value);
        Assert.DoesNotContain(partitions[1], committed.Keys);
        Assert.Empty(await Log.GetCommittedOffsetsAsync(NewName("other-group"), partitions, Token));
    }

    [Fact]
    public async Task Close_RaisesPartitionsRevoked_ForTheWholeAssignment()
    {
        var topic = await CreateTopicAsync(3);
        var assigned = new List<TopicPartition>();
        var revoked = new List<TopicPartition>();
        var consumer = CreateConsumer(new JobLogConsumerOptions
        {
            GroupId = NewName("group"),
            PartitionsAssigned = assigned.AddRange,
            PartitionsRevoked = revoked.AddRange,
        });
        consumer.Subscribe([topic]);
        PollUntil(consumer, () => consumer.Assignment.Count == 3, "the only member gets all 3 partitions");
        Assert.Equal(Sorted(consumer.Assignment), Sorted(assigned));
        Assert.Empty(revoked);
        consumer.Close();
        Assert.Equal(Sorted(assigned), Sorted(revoked));
    }

    [Fact]
    public async Task Subscribe_PicksUpATopicCreatedLater()
    {
        SkipIfKnownLimitation();
        var existing = await CreateTopicAsync(1);
        var later = NewName("later");
        var consumer = CreateConsumer(new JobLogConsumerOptions { GroupId = NewName("group") });
        consumer.Subscribe([existing, later]);
        PollUntil(consumer, () => consumer.Assignment.Count == 1, "the existing topic is assigned");

        await ProduceAsync([new OutgoingRecord(later, "k", "hello"u8.ToArray())]);
        var record = Assert.Single(ConsumeCount(consumer, 1));
        Assert.Equal(later, record.Topic);
        Assert.Contains(consumer.Assignment, p => p.Topic == later);
    }

    // ---- two members of one group -------------------------------------------------------------------------------

    [Fact]
    public async Task TwoConsumersOfOneGroup_SplitThePartitions_AndTogetherSeeEveryRecordOnce()
    {
        SkipIfKnownLimitation();
        var topic = await CreateTopicAsync(4);
        var group = NewName("group");
        var journal = new LogJournal();
        var a = StartRunner("a", group, topic, journal, commitEachRecord: true);
        var b = StartRunner("b", group, topic, journal, commitEachRecord: true);
        await WaitUntilAsync(() => IsSplit(a, b, 4), "both members hold partitions and together hold all 4", a, b);

        var positions = await ProduceAsync(Enumerable.Range(0, 200).Select(i => new OutgoingRecord(topic, $"k{i % 23}", BitConverter.GetBytes(i))));
        await WaitUntilAsync(() => journal.Records().Count >= 200, "all 200 records consumed", a, b);
        await a.StopAsync().WaitAsync(WaitLimit, Token);
        await b.StopAsync().WaitAsync(WaitLimit, Token);

        var records = journal.Records();
        Assert.Equal(Sorted(positions), Sorted(records.Select(r => r.Position)));
        var readByA = journal.Records("a").Select(r => r.Partition).ToHashSet();
        var readByB = journal.Records("b").Select(r => r.Partition).ToHashSet();
        Assert.NotEmpty(readByA);
        Assert.NotEmpty(readByB);
        Assert.Empty(readByA.Intersect(readByB));
        journal.AssertNoPartitionReadByTwoConsumersAtOnce();
    }

    [Fact]
    public async Task ClosingOneConsumer_HandsItsPartitionsToTheOther_AfterItsRevokedCallbackCommitted()
    {
        var topic = await CreateTopicAsync(4);
        var group = NewName("group");
        var journal = new LogJournal();
        // Commits happen only in the revoke callbacks: a record seen twice would mean a handover without that commit.
        var a = StartRunner("a", group, topic, journal, commitEachRecord: false);
        var b = StartRunner("b", group, topic, journal, commitEachRecord: false);
        await WaitUntilAsync(() => IsSplit(a, b, 4), "both members hold partitions and together hold all 4", a, b);
        var heldByA = a.Held.ToList();

        var positions = (await ProduceAsync(Enumerable.Range(0, 100).Select(i => new OutgoingRecord(topic, $"k{i % 17}", BitConverter.GetBytes(i))))).ToList();
        await WaitUntilAsync(() => journal.Records().Count >= 100, "the first 100 records consumed", a, b);
        await a.StopAsync().WaitAsync(WaitLimit, Token);
        await WaitUntilAsync(() => b.Held.Count == 4, "the remaining member holds all 4 partitions", b);

        positions.AddRange(await ProduceAsync(Enumerable.Range(100, 100).Select(i => new OutgoingRecord(topic, $"k{i % 17}", BitConverter.GetBytes(i)))));
        await WaitUntilAsync(() => journal.Records().Count >= 200, "all 200 records consumed", b);
        await b.StopAsync().WaitAsync(WaitLimit, Token);

        var revokedFromA = journal.Snapshot().Where(e => e.Kind == JournalKind.Revoked && e.Consumer == "a").SelectMany(e => e.Partitions).ToHashSet();
        Assert.Subset(revokedFromA, heldByA.ToHashSet());
        Assert.Equal(Sorted(positions), Sorted(journal.Records().Select(r => r.Position)));
        journal.AssertNoPartitionReadByTwoConsumersAtOnce();
    }

    [Fact]
    public async Task AMemberJoiningMidStream_TakesPartitionsOver_WithoutLoss()
    {
        SkipIfKnownLimitation();
        var topic = await CreateTopicAsync(4);
        var group = NewName("group");
        var journal = new LogJournal();
        var positions = await ProduceAsync(Enumerable.Range(0, 1000).Select(i => new OutgoingRecord(topic, $"k{i % 31}", BitConverter.GetBytes(i))));
        var a = StartRunner("a", group, topic, journal, commitEachRecord: true);
        await WaitUntilAsync(() => journal.Records().Count >= 50, "the first member is under way", a);
        // The first member has records of every partition buffered when the second one joins.
        var b = StartRunner("b", group, topic, journal, commitEachRecord: true);
        await WaitUntilAsync(() => journal.Records().Count >= 1000, "all 1000 records consumed", a, b);
        // Each member stops once the group has settled: a classic group on Kafka's development cluster refuses every
        // commit while a join is under way, the revoking member's too, which would lose the commit of its revoke.
        await WaitUntilAsync(() => IsSplit(a, b, 4), "the second member took partitions over", a, b);
        await a.StopAsync().WaitAsync(WaitLimit, Token);
        await WaitUntilAsync(() => b.Held.Count == 4, "the remaining member holds all 4 partitions", b);
        await b.StopAsync().WaitAsync(WaitLimit, Token);

        // Nothing is lost. A commit can be: a classic group on Kafka's development cluster refuses commits through a
        // whole join phase, and a member in its revoke callback then cannot rejoin in time. So a record may be read
        // twice, but only past the last commit of the member that read it first; each member reads a partition in order.
        var records = journal.Records();
        Assert.Equal(Sorted(positions), Sorted(records.Select(r => r.Position).Distinct()));
        var runners = new[] { a, b }.ToDictionary(r => r.Name);
        foreach (var repeated in journal.Snapshot().Where(e => e.Kind == JournalKind.Delivered).GroupBy(e => e.Record!.Position).Where(g => g.Count() > 1))
        {
            var first = repeated.First();
            var committed = runners[first.Consumer].Committed.GetValueOrDefault(first.Partitions[0]);
            Assert.True(repeated.Key.Offset >= committed, $"{repeated.Key} read again after {first.Consumer} committed {committed}");
        }
        foreach (var read in journal.Snapshot().Where(e => e.Kind == JournalKind.Delivered).GroupBy(e => (e.Consumer, e.Record!.Partition)))
        {
            var offsets = read.Select(e => e.Record!.Offset).ToList();
            Assert.Equal(offsets.Order().ToList(), offsets);
        }
        journal.AssertNoPartitionReadByTwoConsumersAtOnce();
    }

    // ---- topics ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task EnsureTopic_IsIdempotent_AndListTopicsShowsIt()
    {
        var topic = NewName("topic");
        await Log.EnsureTopicAsync(topic, 3, Token);
        await Log.EnsureTopicAsync(topic, 3, Token);
        await Log.EnsureTopicAsync(topic, 2, Token);
        var other = await CreateTopicAsync(1);

        var topics = await Log.ListTopicsAsync(Token);
        Assert.Equal(3, Assert.Single(topics, t => t.Name == topic).Partitions);
        Assert.Equal(1, Assert.Single(topics, t => t.Name == other).Partitions);
    }

    // ---- property ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Property_RecordsConsumedFromEachPartition_AreTheRecordsProducedToIt_InOrder()
    {
        // (partitions, batches of (key index or 0 for none, explicit partition or -1))
        var gen = Gen.Select(
            Gen.Int[1, 4],
            Gen.Select(Gen.Int[0, 6], Gen.Int[-1, 3]).Array[1, 30].Array[1, 3]);
        await gen.SampleAsync(
            async (partitions, batches) =>
            {
                var topic = await CreateTopicAsync(partitions);
                var expected = new Dictionary<int, List<string>>();
                var keyPartitions = new Dictionary<string, int>();
                for (var b = 0; b < batches.Length; b++)
                {
                    var records = batches[b].Select((spec, i) => new OutgoingRecord(
                        topic,
                        spec.Item1 == 0 ? null : $"key-{spec.Item1}",
                        Encoding.UTF8.GetBytes($"{b}/{i}"),
                        null,
                        spec.Item2 >= 0 ? spec.Item2 % partitions : null)).ToList();
                    var positions = await ProduceAsync(records);
                    for (var i = 0; i < records.Count; i++)
                    {
                        var partition = positions[i].Partition;
                        if (records[i].Partition is { } explicitPartition)
                        {
                            Assert.Equal(explicitPartition, partition);
                        }
                        else if (records[i].Key is { } key)
                        {
                            Assert.Equal(keyPartitions.TryAdd(key, partition) ? partition : keyPartitions[key], partition);
                        }
                        if (!expected.TryGetValue(partition, out var list))
                        {
                            expected[partition] = list = [];
                        }
                        list.Add(Encoding.UTF8.GetString(records[i].Value.Span));
                    }
                }
                using var consumer = Log.CreateConsumer(new JobLogConsumerOptions());
                consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
                var consumed = ConsumeCount(consumer, expected.Values.Sum(l => l.Count));
                consumer.Close();
                foreach (var (partition, values) in expected)
                {
                    Assert.Equal(values, consumed.Where(r => r.Partition == partition).Select(r => Encoding.UTF8.GetString(r.Value.Span)));
                }
                Assert.Equal(expected.Keys.Order(), consumed.Select(r => r.Partition).Distinct().Order());
            },
            iter: 15,
            threads: 1);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void SkipIfKnownLimitation([CallerMemberName] string test = "")
    {
        if (KnownLimitation(test) is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    /// <summary>A name no other test uses: Kafka-legal, and recognisable in a broker's topic list.</summary>
    protected static string NewName(string purpose, [CallerMemberName] string test = "")
    {
        var name = $"{test}-{purpose}-{Guid.NewGuid():N}";
        return name.Length <= 200 ? name : name[^200..];
    }

    /// <summary>Creates a topic with a unique name.</summary>
    protected async Task<string> CreateTopicAsync(int partitions, [CallerMemberName] string test = "")
    {
        var topic = NewName("topic", test);
        await Log.EnsureTopicAsync(topic, partitions, Token);
        return topic;
    }

    /// <summary>Produces one batch and returns the positions.</summary>
    protected async Task<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(IEnumerable<OutgoingRecord> records)
    {
        using var producer = Log.CreateProducer();
        return await producer.ProduceAsync(records.ToList(), Token);
    }

    /// <summary>Creates a consumer that is disposed after the test.</summary>
    protected IJobLogConsumer CreateConsumer(JobLogConsumerOptions options)
    {
        var consumer = Log.CreateConsumer(options);
        _consumers.Add(consumer);
        return consumer;
    }

    /// <summary>Consumes exactly <paramref name="count"/> records, failing if they do not arrive within the wait limit.</summary>
    protected List<LogRecord> ConsumeCount(IJobLogConsumer consumer, int count) => Consuming.Count(consumer, count, WaitLimit);

    /// <summary>Consumes until <paramref name="done"/> holds for what was consumed, failing at the wait limit.</summary>
    protected List<LogRecord> ConsumeUntil(IJobLogConsumer consumer, Func<IReadOnlyList<LogRecord>, bool> done, string what) =>
        Consuming.Until(done, what, [consumer], WaitLimit);

    /// <summary>Consumes until nothing arrives for the quiet period.</summary>
    protected List<LogRecord> ConsumeUntilQuiet(IJobLogConsumer consumer) => Consuming.UntilQuiet(consumer, QuietPeriod, WaitLimit);

    /// <summary>Calls Consume (which drives group membership) until the condition holds; no records are expected.</summary>
    protected void PollUntil(IJobLogConsumer consumer, Func<bool> condition, string what) =>
        Assert.Empty(Consuming.Until(_ => condition(), what, [consumer], WaitLimit));

    /// <summary>Positions in (topic, partition, offset) order, for comparing sets of records.</summary>
    protected static List<TopicPartitionOffset> Sorted(IEnumerable<TopicPartitionOffset> positions) =>
        positions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).ThenBy(p => p.Offset).ToList();

    /// <summary>Partitions in (topic, partition) order.</summary>
    protected static List<TopicPartition> Sorted(IEnumerable<TopicPartition> partitions) =>
        partitions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).ToList();

    private GroupConsumerRunner StartRunner(string name, string group, string topic, LogJournal journal, bool commitEachRecord)
    {
        var runner = GroupConsumerRunner.Start(Log, name, group, [topic], journal, commitEachRecord);
        _runners.Add(runner);
        return runner;
    }

    private static bool IsSplit(GroupConsumerRunner a, GroupConsumerRunner b, int partitions)
    {
        var heldByA = a.Held;
        var heldByB = b.Held;
        return heldByA.Count > 0 && heldByB.Count > 0 && heldByA.Count + heldByB.Count == partitions && !heldByA.Intersect(heldByB).Any();
    }

    private Task WaitUntilAsync(Func<bool> condition, string what, params GroupConsumerRunner[] runners) =>
        Eventually.TrueAsync(
            async () =>
            {
                if (condition())
                {
                    return true;
                }
                foreach (var runner in runners.Where(r => r.Finished.IsFaulted))
                {
                    await runner.Finished; // rethrows the consumer thread's failure
                }
                return false;
            },
            what,
            WaitLimit,
            () => ValueTask.FromResult(string.Join("; ", runners.Select(r => $"{r.Name} holds [{string.Join(", ", r.Held)}]"))));
}
