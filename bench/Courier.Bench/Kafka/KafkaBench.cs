using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench;

/// <summary>
/// The Kafka section: on one in-process mock cluster (librdkafka's, 3 brokers), each consumer of
/// <see cref="KafkaConsumer"/> reads the same number of pre-produced Courier job records, each from a fresh topic, for
/// a few rounds (alternating who goes first) after an uncounted warm-up of each, repeated until the JIT has little
/// left to compile: two bare loops (Confluent.Kafka's and the Kafka job log's), a parse-and-dispatch baseline
/// (<see cref="ParseDispatchLoop"/>), Courier's dispatcher in a classic and a KIP-848 group and over the records held
/// in memory (<see cref="HeldRecordsLog"/>), and a WolverineFx.Kafka listener in four modes (<see cref="WolverinePeer"/>).
/// </summary>
/// <remarks>
/// Every consumer runs with <c>fetch.queue.backoff.ms=10</c>: with librdkafka's default (1000 ms) a consumer whose
/// prefetch queue fills stops fetching for a second, which caps a fast loop far below what the mock serves (a bare loop
/// went from about 150k to about 700k records/s with 10 ms; docs/benchmarks.md). Otherwise every consumer keeps
/// librdkafka's consumer defaults (prefetch <c>queued.min.messages=100000</c>, bounded by
/// <c>queued.max.messages.kbytes</c>) and, for Courier's, Courier.Kafka's (cooperative-sticky, <c>fetch.wait.max.ms=25</c>).
/// The group's initial rebalance delay is 0, so that no side's time is mostly the 3 s the mock (like Kafka) waits for
/// new members.
/// </remarks>
internal sealed class KafkaBench
{
    private const int FetchQueueBackoffMs = 10;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>
    /// A consumer's warm-up repeats until a pass spends less than this compiling (at least
    /// <see cref="MinWarmupPasses"/> passes, at most <see cref="MaxWarmupPasses"/>). One pass was not enough: the
    /// dispatcher's second pass still compiled about 1,600 methods for 450 ms, which the first measured round then paid.
    /// </summary>
    private static readonly TimeSpan WarmJitTime = TimeSpan.FromMilliseconds(100);

    private const int MinWarmupPasses = 2;

    private const int MaxWarmupPasses = 6;

    /// <summary>
    /// How many times over the in-memory row reads its records: at about 400,000 records/s one pass of 200,000 is half a
    /// second, short enough for one burst of noise on the host to move it by a tenth.
    /// </summary>
    private const int HeldPasses = 5;

    private readonly BenchOptions _options;
    private readonly Action<string> _log;

    public KafkaBench(BenchOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public async Task<KafkaResult> RunAsync(CancellationToken cancellationToken)
    {
        using var cluster = KafkaDevCluster.Start(brokers: 3);
        cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        await using var log = CreateLog(cluster, GroupProtocol.Classic);
        await using var kip848Log = CreateLog(cluster, GroupProtocol.Consumer);
        var courierOptions = new CourierOptions();
        using var telemetry = new CourierTelemetry();
        using var client = new CourierClient(log, courierOptions, telemetry, TimeProvider.System);
        var records = _options.KafkaRecords;
        var consumerConfig = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, FetchQueueBackoffMs = FetchQueueBackoffMs };
        Task<KafkaRun> Measure(KafkaConsumer consumer, string type, int count) => consumer switch
        {
            KafkaConsumer.Bare => KafkaLoops.BareLoopAsync(consumerConfig, courierOptions.Topics.JobTopic(type), type, count, Limit, cancellationToken),
            KafkaConsumer.JobLog => KafkaLoops.JobLogLoopAsync(log, courierOptions.Topics.JobTopic(type), type, count, Limit, cancellationToken),
            KafkaConsumer.ParseDispatch => ParseDispatchLoop.RunAsync(consumerConfig, courierOptions.Topics.JobTopic(type), type, count, Limit, cancellationToken),
            KafkaConsumer.Courier => DispatcherAsync(consumer, log, courierOptions, telemetry, type, count, cancellationToken),
            KafkaConsumer.CourierKip848 => DispatcherAsync(consumer, kip848Log, courierOptions, telemetry, type, count, cancellationToken),
            KafkaConsumer.CourierHeld => HeldDispatcherAsync(log, courierOptions, telemetry, type, count, cancellationToken),
            _ => WolverinePeer.RunAsync(consumer, consumerConfig, courierOptions.Topics.JobTopic(type), type, count, Limit, cancellationToken),
        };

        var warmup = _options.WarmupJobs > 0 ? Math.Min(records, Math.Max(_options.WarmupJobs, 20_000)) : 0;
        if (warmup > 0)
        {
            _log($"kafka warm-up: {DescribeWarmup(warmup)}");
            // Wolverine's default buffered mode is left out: the tuned buffered mode warms the same code paths.
            foreach (var consumer in KafkaConsumers.All.Where(c => c != KafkaConsumer.WolverineBuffered))
            {
                for (var pass = 1; pass <= MaxWarmupPasses; pass++)
                {
                    var type = $"warmup-{KafkaConsumers.Slug(consumer)}-{pass}";
                    await ProduceAsync(cluster, client, courierOptions, type, warmup, cancellationToken);
                    var start = JitActivity.Now();
                    await Measure(consumer, type, warmup);
                    var jit = JitActivity.Since(start);
                    _log($"  warm-up pass {pass} of {KafkaConsumers.Name(consumer)}: the JIT compiled {jit.Methods:N0} methods in {jit.Time.TotalMilliseconds:N0} ms");
                    if (pass >= MinWarmupPasses && jit.Time < WarmJitTime)
                    {
                        break;
                    }
                }
            }
        }

        var rounds = new List<KafkaRound>();
        RateResult? enqueue = null;
        for (var round = 1; round <= _options.KafkaRounds; round++)
        {
            var types = KafkaConsumers.All.Select(c => $"{KafkaConsumers.Slug(c)}-{round}").ToArray();
            foreach (var type in types)
            {
                enqueue = await ProduceAsync(cluster, client, courierOptions, type, records, cancellationToken);
            }
            // Odd rounds run the bare loop first, even rounds last: no consumer always gets the fresher process.
            var order = Enumerable.Range(0, types.Length).ToArray();
            if (round % 2 == 0)
            {
                Array.Reverse(order);
            }
            var runs = new KafkaRun[types.Length];
            foreach (var i in order)
            {
                runs[i] = await Measure(KafkaConsumers.All[i], types[i], records);
            }
            var result = new KafkaRound { Round = round, Runs = runs };
            rounds.Add(result);
            _log($"kafka round {round}, first to last: " + string.Join(", ", runs.Select(r => $"{KafkaConsumers.Name(r.Consumer)} {r.SteadyPerSecond:N0}/s"))
                + $"; Courier/bare {result.SteadyRatio:N2}");
        }

        return new KafkaResult
        {
            Records = records,
            Partitions = _options.KafkaPartitions,
            Command = "dotnet run -c Release --project bench/Courier.Bench -- --only kafka"
                + $" --kafka-records {records} --kafka-partitions {_options.KafkaPartitions} --kafka-rounds {_options.KafkaRounds}",
            Enqueue = enqueue,
            Rounds = rounds,
            Settings = new Dictionary<string, string>
            {
                ["cluster"] = "librdkafka mock, 3 brokers, in this process (Confluent.Kafka "
                    + typeof(ConsumerConfig).Assembly.GetName().Version?.ToString(3) + ")",
                ["fetch.queue.backoff.ms"] = FetchQueueBackoffMs.ToString(CultureInfo.InvariantCulture) + " for every consumer (librdkafka default 1000)",
                ["other consumer settings"] = "librdkafka's defaults, and Courier.Kafka's for Courier; classic groups except Courier, KIP-848 (group.protocol=consumer)",
                ["bare loop"] = "IConsumer<string?, byte[]>.Consume on one thread, subscribe, auto commit",
                ["parse-and-dispatch"] = $"IConsumer<Ignore, byte[]> on one thread → bounded Channel ({ParseDispatchLoop.ChannelCapacity:N0}) → {ParseDispatchLoop.Workers} worker task(s): "
                    + $"JsonSerializer.Deserialize<PeerJob> (type, database, meta.id, meta.dt, params; web defaults), no-op handler; offsets stored in order per partition, auto commit every {ParseDispatchLoop.AutoCommitIntervalMs} ms",
                ["Courier"] = $"Dispatcher on KafkaJobLog, rule concurrency {_options.CourierConcurrency}, in-process no-op handler, default DispatcherOptions (8 retry tiers, commit every 200 ms)",
                ["Courier, records in memory"] = "the same dispatcher and settings; its group's consumer serves the topic's records, read into memory before timing, "
                    + $"{HeldPasses} times over (offsets continuing), {HeldRecordsConsumer.RunLength} from a partition at a time (no broker, no librdkafka in that consumer); everything else on KafkaJobLog",
                ["Wolverine"] = "WolverineFx.Kafka " + WolverinePeer.Version
                    + ", a host per measurement, UseRuntimeCompilation(), UseKafka(…).ConsumeOnly(), no-op handler; "
                    + string.Join("; ", KafkaConsumers.Wolverine.Select(c => $"{KafkaConsumers.Name(c)}: {WolverinePeer.Describe(c)}")),
                ["group.initial.rebalance.delay"] = "0",
                ["warm-up"] = warmup == 0 ? "none" : DescribeWarmup(warmup),
            },
        };
    }

    /// <summary>The warm-up rule as the log and the report state it.</summary>
    private static string DescribeWarmup(int records) =>
        $"each consumer, not counted: passes of {records:N0} records until one compiles for under {WarmJitTime.TotalMilliseconds:N0} ms "
        + $"(at least {MinWarmupPasses}, at most {MaxWarmupPasses})";

    /// <summary>
    /// A job log on <paramref name="cluster"/> with this section's consumer tuning (<c>fetch.queue.backoff.ms</c>) and
    /// group <paramref name="protocol"/>; the dedup section reads through it too.
    /// </summary>
    internal static KafkaJobLog CreateLog(KafkaDevCluster cluster, GroupProtocol protocol)
    {
        // The development cluster's options (topics created through the mock's API), with the protocol chosen here.
        var options = cluster.CreateJobLogOptions();
        options.Consumer = new ConsumerConfig { FetchQueueBackoffMs = FetchQueueBackoffMs, GroupProtocol = protocol };
        return new KafkaJobLog(options);
    }

    /// <summary>Produces <paramref name="count"/> no-op jobs of <paramref name="jobType"/> into a fresh topic.</summary>
    private async Task<RateResult> ProduceAsync(
        KafkaDevCluster cluster, CourierClient client, CourierOptions courierOptions, string jobType, int count, CancellationToken cancellationToken)
    {
        cluster.CreateTopic(courierOptions.Topics.JobTopic(jobType), _options.KafkaPartitions);
        var batchSize = _options.BatchSize;
        var rate = await SystemBench.MeasureAsync(count, async () =>
        {
            var batch = new List<JobRequest>(batchSize);
            for (var done = 0; done < count; done += batch.Count)
            {
                batch.Clear();
                for (var i = done; i < count && batch.Count < batchSize; i++)
                {
                    batch.Add(new JobRequest
                    {
                        Type = jobType,
                        // Many keys, so the records spread over every partition.
                        Database = $"wiki{i % 97}",
                        Params = new NoopParams(i, Stopwatch.GetTimestamp()),
                    });
                }
                await client.EnqueueBatchAsync(batch, cancellationToken);
            }
            return count;
        });
        _log($"  produced {count:N0} records to {courierOptions.Topics.JobTopic(jobType)} at {rate.PerSecond:N0}/s");
        return rate;
    }

    /// <summary>
    /// Reads <paramref name="jobType"/>'s records into memory (not timed), then times the dispatcher over them,
    /// <see cref="HeldPasses"/> times over (<see cref="HeldRecordsLog"/>), and checks that it committed every one.
    /// </summary>
    private async Task<KafkaRun> HeldDispatcherAsync(
        KafkaJobLog log, CourierOptions courierOptions, CourierTelemetry telemetry, string jobType, int count, CancellationToken cancellationToken)
    {
        var read = await HeldRecords.ReadAsync(log, courierOptions.Topics.JobTopic(jobType), _options.KafkaPartitions, count, cancellationToken);
        var held = read.Repeated(HeldPasses);
        await using var heldLog = new HeldRecordsLog(log, GroupOf(jobType), held);
        var run = await DispatcherAsync(KafkaConsumer.CourierHeld, heldLog, courierOptions, telemetry, jobType, held.Count, cancellationToken);
        return run with { CommittedRecords = heldLog.Consumer?.CommittedRecords ?? 0 };
    }

    private static string GroupOf(string jobType) => "bench-" + jobType;

    /// <summary>Starts a dispatcher for <paramref name="jobType"/> and times it until its no-op handler has run every record.</summary>
    private async Task<KafkaRun> DispatcherAsync(KafkaConsumer consumer,
        IJobLog log, CourierOptions courierOptions, CourierTelemetry telemetry, string jobType, int count, CancellationToken cancellationToken)
    {
        var counter = new RecordCounter();
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CountingNoopHandler(counter));
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = GroupOf(jobType),
            Rules = { new JobRule { Type = jobType, Concurrency = _options.CourierConcurrency } },
        };
        await using var dispatcher = new Dispatcher(log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
        var run = await counter.MeasureAsync(consumer, count, Limit, () => dispatcher.StartAsync(cancellationToken), cancellationToken);
        await dispatcher.StopAsync(cancellationToken);
        return run;
    }
}
