using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench;

/// <summary>
/// The Kafka section: on one in-process mock cluster (librdkafka's, 3 brokers), a bare Confluent.Kafka consume loop and
/// Courier's dispatcher with a no-op in-process handler each read the same number of pre-produced Courier job records,
/// each from a fresh topic, for a few rounds (alternating who goes first) after an uncounted warm-up round. Two more
/// consumers locate the gap: the Kafka job log's consumer in a bare loop (the engine without the dispatcher), and the
/// dispatcher in a KIP-848 group, which is how <see cref="KafkaDevCluster.CreateJobLogOptions"/> sets it up.
/// </summary>
/// <remarks>
/// Every consumer runs with <c>fetch.queue.backoff.ms=10</c>: with librdkafka's default (1000 ms) a consumer whose
/// prefetch queue fills stops fetching for a second, which caps a fast loop far below what the mock serves (a bare loop
/// went from about 150k to about 700k records/s with 10 ms; docs/benchmarks.md). Otherwise every consumer keeps
/// librdkafka's consumer defaults (prefetch <c>queued.min.messages=100000</c>, bounded by
/// <c>queued.max.messages.kbytes</c>) and Courier.Kafka's (cooperative-sticky, <c>fetch.wait.max.ms=25</c>); the bare
/// loop, the job-log loop and "Courier" are in classic groups. The group's initial rebalance delay is 0, so that no
/// side's time is mostly the 3 s the mock (like Kafka) waits for new members.
/// </remarks>
internal sealed class KafkaBench
{
    private const int FetchQueueBackoffMs = 10;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly string[] Consumers = ["bare", "joblog", "courier", "kip848"];

    // Odd rounds run the bare loop first, even rounds last: neither side always gets the fresher process.
    private static readonly int[] OddOrder = [0, 1, 2, 3];
    private static readonly int[] EvenOrder = [3, 2, 1, 0];

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

        if (_options.WarmupJobs > 0)
        {
            var warmup = Math.Min(records, Math.Max(_options.WarmupJobs, 20_000));
            _log($"kafka warm-up: {warmup:N0} records per consumer (not counted)");
            await ProduceAsync(cluster, client, courierOptions, "warmup-bare", warmup, cancellationToken);
            await BareLoopAsync(cluster, courierOptions.Topics.JobTopic("warmup-bare"), "warmup-bare", warmup, cancellationToken);
            await ProduceAsync(cluster, client, courierOptions, "warmup-joblog", warmup, cancellationToken);
            await JobLogLoopAsync(log, courierOptions.Topics.JobTopic("warmup-joblog"), "warmup-joblog", warmup, cancellationToken);
            await ProduceAsync(cluster, client, courierOptions, "warmup-courier", warmup, cancellationToken);
            await DispatcherAsync(log, courierOptions, telemetry, "warmup-courier", warmup, cancellationToken);
        }

        var rounds = new List<KafkaRound>();
        RateResult? enqueue = null;
        for (var round = 1; round <= _options.KafkaRounds; round++)
        {
            var types = Consumers.Select(c => $"{c}-{round}").ToArray();
            foreach (var type in types)
            {
                enqueue = await ProduceAsync(cluster, client, courierOptions, type, records, cancellationToken);
            }
            var measurements = new Func<Task<RateResult>>[]
            {
                () => BareLoopAsync(cluster, courierOptions.Topics.JobTopic(types[0]), types[0], records, cancellationToken),
                () => JobLogLoopAsync(log, courierOptions.Topics.JobTopic(types[1]), types[1], records, cancellationToken),
                () => DispatcherAsync(log, courierOptions, telemetry, types[2], records, cancellationToken),
                () => DispatcherAsync(kip848Log, courierOptions, telemetry, types[3], records, cancellationToken),
            };
            var results = new RateResult[measurements.Length];
            foreach (var i in round % 2 == 1 ? OddOrder : EvenOrder)
            {
                results[i] = await measurements[i]();
            }
            var result = new KafkaRound { Round = round, Bare = results[0], JobLog = results[1], Courier = results[2], CourierKip848 = results[3] };
            rounds.Add(result);
            _log($"kafka round {round}: bare {result.Bare.PerSecond:N0}/s, job log {result.JobLog.PerSecond:N0}/s, Courier {result.Courier.PerSecond:N0}/s "
                + $"(KIP-848 {result.CourierKip848.PerSecond:N0}/s); Courier/bare {result.Ratio:N2}, steady {result.SteadyRatio:N2}");
        }

        return new KafkaResult
        {
            Records = records,
            Partitions = _options.KafkaPartitions,
            Enqueue = enqueue,
            Rounds = rounds,
            Settings = new Dictionary<string, string>
            {
                ["cluster"] = "librdkafka mock, 3 brokers, in this process (Confluent.Kafka "
                    + typeof(ConsumerConfig).Assembly.GetName().Version?.ToString(3) + ")",
                ["fetch.queue.backoff.ms"] = FetchQueueBackoffMs.ToString(CultureInfo.InvariantCulture) + " for every consumer (librdkafka default 1000)",
                ["other consumer settings"] = "librdkafka's and Courier.Kafka's defaults; classic groups except Courier, KIP-848 (group.protocol=consumer)",
                ["bare loop"] = "IConsumer<string?, byte[]>.Consume on one thread, subscribe, auto commit",
                ["Courier"] = $"Dispatcher on KafkaJobLog, rule concurrency {_options.CourierConcurrency}, in-process no-op handler, default DispatcherOptions (8 retry tiers, commit every 200 ms)",
                ["group.initial.rebalance.delay"] = "0",
            },
        };
    }

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

    /// <summary>A consume loop as the Confluent.Kafka examples write it, on a thread of its own, until it has seen every record.</summary>
    private static async Task<RateResult> BareLoopAsync(
        KafkaDevCluster cluster, string topic, string group, int count, CancellationToken cancellationToken)
    {
        var firstRecord = 0L;
        var rate = await SystemBench.MeasureAsync(count, () => Task.Factory.StartNew(() =>
        {
            var config = new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "bench-" + group,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                FetchQueueBackoffMs = FetchQueueBackoffMs,
            };
            using var consumer = new ConsumerBuilder<string?, byte[]>(config).Build();
            var start = Stopwatch.GetTimestamp();
            consumer.Subscribe(topic);
            long seen = 0;
            long bytes = 0;
            while (seen < count && Stopwatch.GetElapsedTime(start) < Limit && !cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }
                if (seen == 0)
                {
                    firstRecord = Stopwatch.GetTimestamp() - start;
                }
                // Touch the value, as any real loop would.
                bytes += result.Message.Value?.Length ?? 0;
                seen++;
            }
            consumer.Close();
            return seen;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return rate with { FirstJobMs = firstRecord * 1000.0 / Stopwatch.Frequency };
    }

    /// <summary>The Kafka job log's own consumer in a bare loop: the engine's share of the gap, without the dispatcher.</summary>
    private static async Task<RateResult> JobLogLoopAsync(KafkaJobLog log, string topic, string group, int count, CancellationToken cancellationToken)
    {
        var firstRecord = 0L;
        var rate = await SystemBench.MeasureAsync(count, () => Task.Factory.StartNew(() =>
        {
            using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = "bench-" + group });
            var start = Stopwatch.GetTimestamp();
            consumer.Subscribe([topic]);
            long seen = 0;
            long bytes = 0;
            while (seen < count && Stopwatch.GetElapsedTime(start) < Limit && !cancellationToken.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(100), cancellationToken);
                if (record is null)
                {
                    continue;
                }
                if (seen == 0)
                {
                    firstRecord = Stopwatch.GetTimestamp() - start;
                }
                bytes += record.Value.Length;
                seen++;
            }
            consumer.Close();
            return seen;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return rate with { FirstJobMs = firstRecord * 1000.0 / Stopwatch.Frequency };
    }

    /// <summary>Starts a dispatcher for <paramref name="jobType"/> and times it until its no-op handler has run every record.</summary>
    private async Task<RateResult> DispatcherAsync(
        KafkaJobLog log, CourierOptions courierOptions, CourierTelemetry telemetry, string jobType, int count, CancellationToken cancellationToken)
    {
        var probe = new JobProbe();
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CourierNoopHandler(probe));
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "bench-" + jobType,
            Rules = { new JobRule { Type = jobType, Concurrency = _options.CourierConcurrency } },
        };
        await using var dispatcher = new Dispatcher(log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
        var start = 0L;
        var rate = await SystemBench.MeasureAsync(count, async () =>
        {
            var done = probe.WhenExecuted(count);
            start = Stopwatch.GetTimestamp();
            await dispatcher.StartAsync(cancellationToken);
            await Task.WhenAny(done, Task.Delay(Limit, cancellationToken));
            return Math.Min(probe.Executions, count);
        });
        await dispatcher.StopAsync(cancellationToken);
        return probe.FirstStart == 0 ? rate : rate with { FirstJobMs = (probe.FirstStart - start) * 1000.0 / Stopwatch.Frequency };
    }
}
