using System.Diagnostics;
using Courier.EndToEnd.Support;
using Courier.TestDispatcher;
using Courier.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// A mock Kafka cluster in the test process, the topics of one test job type, a client to enqueue jobs, and
/// dispatcher processes on it whose inboxes live in a temporary directory.
/// </summary>
/// <remarks>
/// Topics are created here, through the mock's own API, before any dispatcher process starts: from another process
/// the mock cannot create topics (no CreateTopics) and would auto-create them with 4 partitions.
/// </remarks>
internal sealed class KafkaScenario : IAsyncDisposable
{
    public const string JobType = "e2e";
    public const string GroupId = "courier-e2e";

    /// <summary>The one retry tier the test dispatcher host configures.</summary>
    public static readonly RetryTier RetryTier = new(TimeSpan.FromSeconds(1));

    private readonly TempDirectory _directory = new();
    private readonly CourierTelemetry _telemetry = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _phases = [];

    private KafkaScenario(KafkaDevCluster cluster, int jobPartitions)
    {
        Cluster = cluster;
        Log = new KafkaJobLog(cluster.CreateJobLogOptions());
        Client = new CourierClient(Log, CourierOptions, _telemetry, TimeProvider.System);
        JobPartitions = Enumerable.Range(0, jobPartitions).Select(p => new TopicPartition(JobTopic, p)).ToList();
    }

    public KafkaDevCluster Cluster { get; }

    public KafkaJobLog Log { get; }

    public CourierOptions CourierOptions { get; } = new();

    public CourierClient Client { get; }

    public string JobTopic => CourierOptions.Topics.JobTopic(JobType);

    public string RetryTopic => CourierOptions.Topics.RetryTopic(JobTopic, RetryTier);

    public IReadOnlyList<TopicPartition> JobPartitions { get; }

    /// <summary>The steps noted so far with <see cref="Phase"/>, for a failing test's message.</summary>
    public string Phases => string.Join(", ", _phases);

    /// <summary>Notes that the scenario reached <paramref name="name"/>, with the seconds since it started.</summary>
    public void Phase(string name) => _phases.Add($"{name} {_clock.Elapsed.TotalSeconds:0.0} s");

    /// <summary>Starts a 3-broker cluster and creates the job topic (replicated on every broker), its retry tier and the error topic.</summary>
    public static KafkaScenario Start(int jobPartitions)
    {
        var cluster = KafkaDevCluster.Start(brokers: 3);
        try
        {
            // Members of a test start within a second of each other; a group that forms before the second joins is
            // rebalanced again (the tests wait for the final split), so a short delay only saves time.
            cluster.SetGroupInitialRebalanceDelay(TimeSpan.FromMilliseconds(500));
            var scenario = new KafkaScenario(cluster, jobPartitions);
            cluster.CreateTopic(scenario.JobTopic, jobPartitions);
            cluster.CreateTopic(scenario.RetryTopic, 4);
            cluster.CreateTopic(scenario.CourierOptions.Topics.ErrorTopic, 4);
            return scenario;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Starts a dispatcher process in this scenario's group, its inbox at <c>&lt;temp&gt;/&lt;member&gt;.db</c>.</summary>
    public DispatcherProcess StartDispatcher(string member, params string[] extraArguments) =>
        DispatcherProcess.Start(Cluster.BootstrapServers, member, Path.Combine(_directory.Path, member + ".db"),
            ["--group", GroupId, .. extraArguments]);

    /// <summary>
    /// Starts a dispatcher process (as <see cref="StartDispatcher(string, string[])"/>) whose state store is
    /// <paramref name="redis"/>, under one key prefix for every member of this scenario: they share deduplication.
    /// </summary>
    public DispatcherProcess StartDispatcher(string member, RedisServer redis, params string[] extraArguments) =>
        StartDispatcher(member, ["--redis", redis.Configuration, "--redis-prefix", "courier-e2e:", .. extraArguments]);

    /// <summary>
    /// Produces <paramref name="copies"/> copies of each of <paramref name="distinct"/> deduplicatable jobs (the same
    /// params, so the same <c>sha1</c>, and the same database; each its own event id and record key), copy <c>c</c> of
    /// job <c>i</c> on partition <c>(i + 3c) mod partitions</c>: the copies of one job on different partitions (up to
    /// the partition count), as the original's duplicates were spread over its queue's consumers; the client would key
    /// them all by database, onto one partition. The partition is explicit because the producer's default partitioner
    /// (CRC32, linear) puts keys that differ in a few bits on a few partitions only. Returns them in order: copy
    /// <c>c</c> of job <c>i</c> is at <c>i * copies + c</c>. They are created <paramref name="createdAgo"/> back.
    /// </summary>
    public async Task<IReadOnlyList<EnqueuedJob>> ProduceCopiesAsync(int distinct, int copies, TimeSpan createdAgo, Func<int, TestJobParams> parameters)
    {
        // Their meta.dt is createdAgo back, as for a backlog enqueued then: a copy created in the last second before the
        // run of its sha1 started runs too (the original's one-second slack for producers' clocks; DedupClaim.Covers).
        using var creator = new CourierClient(Log, CourierOptions, _telemetry, new FakeTimeProvider(TimeProvider.System.GetUtcNow() - createdAgo));
        var codec = new JobEventCodec(CourierOptions);
        var records = new List<OutgoingRecord>(distinct * copies);
        var ids = new List<string>(distinct * copies);
        for (var index = 0; index < distinct; index++)
        {
            for (var copy = 0; copy < copies; copy++)
            {
                var built = creator.BuildEvent(new JobRequest { Type = JobType, Database = "wiki0", Params = parameters(index), Deduplicate = true });
                records.Add(new OutgoingRecord(JobTopic, $"{built.Database}/{index}/{copy}", codec.Encode(built),
                    Partition: (index + 3 * copy) % JobPartitions.Count));
                ids.Add(built.Meta.Id);
            }
        }
        using var producer = Log.CreateProducer();
        var positions = await producer.ProduceAsync(records, TestContext.Current.CancellationToken);
        return ids.Select((id, n) => new EnqueuedJob(id, JobType, positions[n])).ToList();
    }

    /// <summary>Enqueues test jobs in batches, returning them in request order with their log positions.</summary>
    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(IReadOnlyList<TestJobParams> jobs, bool deduplicate = false)
    {
        var accepted = new List<EnqueuedJob>(jobs.Count);
        foreach (var batch in jobs.Chunk(500))
        {
            accepted.AddRange(await Client.EnqueueBatchAsync(batch.Select(p => new JobRequest
            {
                Type = JobType,
                // Many keys, so the key partitioner spreads the jobs over every partition.
                Database = $"wiki{p.Index % 97}",
                Params = p,
                Deduplicate = deduplicate,
            }).ToList(), TestContext.Current.CancellationToken));
        }
        return accepted;
    }

    /// <summary>Every delivery recorded by these members' inboxes.</summary>
    public static async Task<IReadOnlyList<InboxDelivery>> ReadDeliveriesAsync(params DispatcherProcess[] members)
    {
        var all = new List<InboxDelivery>();
        foreach (var member in members)
        {
            all.AddRange(await DeliveryInbox.ReadAllAsync(member.InboxPath, TestContext.Current.CancellationToken));
        }
        return all;
    }

    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync() => TopicReader.ReadDeadLettersAsync(Log, CourierOptions);

    public async Task<IReadOnlyDictionary<TopicPartition, long>> CommittedAsync(IReadOnlyCollection<TopicPartition> partitions) =>
        await Log.GetCommittedOffsetsAsync(GroupId, partitions, TestContext.Current.CancellationToken);

    /// <summary>Uncommitted records of the job topic and its retry tier, per partition that has any.</summary>
    public async Task<IReadOnlyDictionary<TopicPartition, long>> BacklogAsync()
    {
        var partitions = JobPartitions.Concat(Enumerable.Range(0, 4).Select(p => new TopicPartition(RetryTopic, p))).ToList();
        var committed = await CommittedAsync(partitions);
        var backlog = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            var marks = await Log.GetWatermarksAsync(partition, TestContext.Current.CancellationToken);
            var lag = marks.High - committed.GetValueOrDefault(partition, marks.Low);
            if (lag > 0)
            {
                backlog[partition] = lag;
            }
        }
        return backlog;
    }

    /// <summary>Waits until each of <paramref name="members"/> has started and they have split the job partitions.</summary>
    public async Task WaitReadyAndSplitAsync(params DispatcherProcess[] members)
    {
        foreach (var member in members)
        {
            await member.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
        await WaitForSplitAsync(TimeSpan.FromSeconds(60), members);
        Phase("split");
    }

    /// <summary>Waits until these members together own every job partition, each some and none twice.</summary>
    public async Task WaitForSplitAsync(TimeSpan deadline, params DispatcherProcess[] members)
    {
        await Eventually.TrueAsync(
            () =>
            {
                var owned = members.Select(m => m.Owned.Where(p => p.Topic == JobTopic).ToList()).ToList();
                var split = owned.All(o => o.Count > 0)
                    && owned.Sum(o => o.Count) == JobPartitions.Count
                    && owned.SelectMany(o => o).Distinct().Count() == JobPartitions.Count;
                return ValueTask.FromResult(split);
            },
            "the members split the job partitions",
            deadline,
            () => ValueTask.FromResult("the members did not split the job partitions: "
                + string.Join("; ", members.Select(m => $"{m.Member} owns [{string.Join(", ", m.Owned.OrderBy(p => p.ToString(), StringComparer.Ordinal))}]"))
                + "\n" + string.Join("\n", members.Select(m => m.Tail(15)))),
            TimeSpan.FromMilliseconds(50));
    }

    /// <summary>
    /// Kills <paramref name="victim"/> with SIGKILL once <paramref name="killAt"/> of <paramref name="jobs"/> are delivered
    /// (some by it) and waits until it has exited; returns the partitions it owned. Fails when every job was delivered
    /// before the kill landed: then it proved nothing.
    /// </summary>
    public async Task<IReadOnlySet<TopicPartition>> KillMidRunAsync(DispatcherProcess victim, DispatcherProcess survivor, int killAt, int jobs)
    {
        IReadOnlyList<InboxDelivery> deliveries = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(victim.HasExited || survivor.HasExited, $"a dispatcher exited before the kill. Output:\n{victim.Tail()}\n{survivor.Tail()}");
                deliveries = await ReadDeliveriesAsync(victim, survivor);
                return deliveries.Count >= killAt && deliveries.Any(d => d.Member == victim.Member);
            },
            $"enough jobs were delivered, some by {victim.Member}, to kill it mid-run",
            TimeSpan.FromSeconds(90),
            () => ValueTask.FromResult($"{deliveries.Count} of {jobs} delivered, waiting for {killAt}\n{victim.Tail(15)}\n{survivor.Tail(15)}"),
            TimeSpan.FromMilliseconds(10));
        var owned = victim.Owned;
        victim.KillHard();
        await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Phase("killed");
        var deliveredAtKill = (await ReadDeliveriesAsync(victim, survivor)).Count;
        Assert.True(deliveredAtKill < jobs, $"all {jobs} jobs were delivered before the kill landed, so it proved nothing: raise the job count");
        Assert.Contains(owned, p => p.Topic == JobTopic);
        return owned;
    }

    /// <summary>
    /// Waits until <paramref name="survivor"/> owns every job partition: the group noticed the killed member is gone
    /// (the test dispatcher's session timeout, then the mock's join phase of about as long). The bound only catches a hang.
    /// </summary>
    public async Task WaitForTakeOverAsync(DispatcherProcess survivor)
    {
        await Eventually.TrueAsync(
            () => ValueTask.FromResult(JobPartitions.All(survivor.Owned.Contains)),
            $"{survivor.Member} took over every job partition",
            TimeSpan.FromSeconds(120),
            () => ValueTask.FromResult($"{survivor.Member} never took over; it owns {string.Join(", ", survivor.Owned)}\n{survivor.Tail(20)}"),
            TimeSpan.FromMilliseconds(50));
        Phase("taken over");
    }

    /// <summary>Waits until every one of <paramref name="jobs"/> was delivered or dead-lettered and the backlog is empty.</summary>
    public async Task WaitEndedAsync(IReadOnlyList<EnqueuedJob> jobs, DispatcherProcess survivor, params DispatcherProcess[] members)
    {
        IReadOnlyList<InboxDelivery> deliveries = [];
        IReadOnlyList<DeadLetter> letters = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(survivor.HasExited, $"{survivor.Member} exited. Output:\n{survivor.Tail()}");
                deliveries = await ReadDeliveriesAsync(members);
                letters = await ReadDeadLettersAsync();
                var ended = deliveries.Select(d => d.JobId).Concat(letters.Select(l => l.JobId ?? "")).ToHashSet(StringComparer.Ordinal);
                return jobs.All(j => ended.Contains(j.Id)) && (await BacklogAsync()).Count == 0;
            },
            "every job was delivered or dead-lettered and the backlog was empty",
            TimeSpan.FromSeconds(120),
            async () => $"{deliveries.Select(d => d.JobId).Distinct().Count()} delivered, {letters.Count} dead-lettered of {jobs.Count}; backlog "
                + string.Join(", ", (await BacklogAsync()).Select(kv => $"{kv.Key}={kv.Value}")) + $"\n{survivor.Tail(20)}",
            TimeSpan.FromMilliseconds(200));
        Phase("drained");
    }

    /// <summary>The broker leading each partition of <paramref name="topic"/>, from the cluster's metadata.</summary>
    public IReadOnlyDictionary<int, int> Leaders(string topic) => Cluster.PartitionLeaders(topic, TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Log.DisposeAsync();
        _telemetry.Dispose();
        Cluster.Dispose();
        _directory.Dispose();
    }
}
