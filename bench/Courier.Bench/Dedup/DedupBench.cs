using System.Globalization;
using Courier.Redis;
using Courier.Sqlite.State;
using Courier.State;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.Dedup;

/// <summary>
/// Deduplication's cost (issue 13): the same workload of no-op jobs carrying <c>sha1</c>, one in ten a duplicate
/// (<see cref="DedupWorkload"/>), drained by the dispatcher on the embedded SQLite log with no state store (the
/// baseline), with the embedded SQLite state store and with Redis (a real <c>redis-server</c> on a free loopback port,
/// started here with the test suites' <see cref="RedisServer"/>), each with the rule's dedupe off and on. Rounds run
/// every variant on a fresh log and store, alternating the order, after an uncounted warm-up of each; the table gives
/// jobs/s, the ratio to the baseline of the same round, CPU and allocation per job, and store calls per job.
/// </summary>
internal sealed class DedupBench(BenchOptions options, Action<string> log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    /// <summary>Longer than the second a sha1 claim leaves for clock skew (<c>DedupClaim.Covers</c>).</summary>
    private static readonly TimeSpan CoverMargin = TimeSpan.FromSeconds(1.2);

    public async Task<DedupResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        log($"dedup: redis-server on {redis.Configuration}");
        using var redisCpu = new RedisCpu(redis.Configuration);
        var jobs = options.DedupJobs;
        var latency = await StoreLatenciesAsync(redis, cancellationToken);
        var runs = new List<DedupRun>();
        foreach (var engine in options.DetectEngines)
        {
            await using var logs = DedupLogs.Create(engine, options.KafkaPartitions);
            if (options.WarmupJobs > 0)
            {
                // Long enough to hold duplicates, so the dedupe paths are warm too.
                var warmup = Math.Max(options.WarmupJobs, 2 * DedupWorkload.Distance);
                log($"dedup warm-up ({engine}): {warmup:N0} jobs per variant (not counted)");
                foreach (var variant in DedupVariant.All)
                {
                    await DrainAsync(logs, redis, redisCpu, variant, warmup, round: 0, cancellationToken);
                }
            }
            for (var round = 1; round <= options.DedupRounds; round++)
            {
                // Odd rounds run the baseline first, even rounds last: no variant always gets the fresher process.
                var order = round % 2 == 1 ? DedupVariant.All : DedupVariant.All.Reverse();
                foreach (var variant in order)
                {
                    var run = await DrainAsync(logs, redis, redisCpu, variant, jobs, round, cancellationToken);
                    runs.Add(run);
                    log($"dedup {engine} round {round}, {variant.Name}: {run.Rate.PerSecond:N0} jobs/s, {run.OperationsPerJob:N2} store calls per job, "
                        + $"{run.Deduplicated:N0} deduplicated, {run.Retried:N0} retried");
                }
            }
        }
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        return new DedupResult
        {
            Jobs = jobs,
            Duplicates = DedupWorkload.Duplicates(jobs),
            Runs = runs,
            StoreLatency = latency,
            Settings = new Dictionary<string, string>
            {
                ["engines"] = "SqliteJobLog (defaults, 4 partitions), a fresh file per drain; KafkaJobLog on librdkafka's mock cluster (3 brokers, in this process), "
                    + $"a fresh topic of {N(options.KafkaPartitions)} partitions and classic group per drain, fetch.queue.backoff.ms 10 as in the Kafka section; "
                    + "jobs enqueued before the dispatcher starts",
                ["rule"] = $"concurrency {N(options.CourierConcurrency)}, in-process no-op handler, dedupe at its defaults (window 1 d) when on; default DispatcherOptions",
                ["workload"] = $"every job carries a sha1; one in ten (from job {N(DedupWorkload.Distance)} on) repeats the work of the job {N(DedupWorkload.Distance)} before it, 16 wikis",
                ["embedded"] = "SqliteJobStateStore (defaults) in state.db beside the log",
                ["redis"] = "RedisJobStateStore (defaults), a fresh key prefix per drain, on redis-server " + RedisVersion() + " at 127.0.0.1, no persistence, in another process",
            },
        };
    }

    /// <summary>Enqueues <paramref name="jobs"/> into a fresh log, then times a dispatcher of <paramref name="variant"/> until every job has ended.</summary>
    private async Task<DedupRun> DrainAsync(
        DedupLogs logs, RedisServer redis, RedisCpu redisCpu, DedupVariant variant, int jobs, int round, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory("dedup");
        var courierOptions = new CourierOptions();
        using var telemetry = new CourierTelemetry();
        var (jobLog, jobType) = logs.Next(directory.Path, courierOptions);
        await using var ownedLog = logs.OwnsLogs ? jobLog : null;
        await using var store = OpenStore(variant, directory.Path, redis);
        using (var client = new CourierClient(jobLog, courierOptions, telemetry, TimeProvider.System))
        {
            for (var done = 0; done < jobs;)
            {
                var batch = Enumerable.Range(done, Math.Min(options.BatchSize, jobs - done)).Select(i => DedupWorkload.Request(jobType, i)).ToList();
                await client.EnqueueBatchAsync(batch, cancellationToken);
                done += batch.Count;
            }
        }
        var enqueued = DateTime.UtcNow;
        var probe = new JobProbe();
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CourierNoopHandler(probe));
        var rule = new JobRule { Type = jobType, Concurrency = options.CourierConcurrency, Dedupe = variant.Dedupe ? new DedupePolicy() : DedupePolicy.Off };
        var dispatcherOptions = new DispatcherOptions { GroupId = "bench-" + jobType, Rules = { rule } };
        await using var dispatcher = new Dispatcher(jobLog, new InProcessExecutor(registry), dispatcherOptions, courierOptions, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System, store);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // A sha1 claim covers only jobs created more than a second before its run started (the margin for clocks
        // that disagree), and a job created later runs again. Waiting out that second makes every duplicate one that
        // was enqueued well before its original ran, as in a backlog, so that it is deduplicated, not run.
        var sinceEnqueue = DateTime.UtcNow - enqueued;
        if (sinceEnqueue < CoverMargin)
        {
            await Task.Delay(CoverMargin - sinceEnqueue, cancellationToken);
        }

        var limit = TimeSpan.FromSeconds(options.PhaseLimitSeconds);
        var redisCpuBefore = await redisCpu.SecondsAsync();
        var rate = await SystemBench.MeasureAsync(jobs, async () =>
        {
            var start = DateTime.UtcNow;
            await dispatcher.StartAsync(cancellationToken);
            // Ended counts succeeded and deduplicated jobs alike: with dedupe on, duplicates end without running.
            while (Stats(dispatcher, jobType).Ended < jobs && DateTime.UtcNow - start < limit)
            {
                await Task.Delay(Poll, cancellationToken);
            }
            return Math.Min(Stats(dispatcher, jobType).Ended, jobs);
        });
        var redisCpuSeconds = await redisCpu.SecondsAsync() - redisCpuBefore;
        var stats = Stats(dispatcher, jobType);
        await dispatcher.StopAsync(cancellationToken);
        return new DedupRun
        {
            Engine = logs.Engine,
            Variant = variant.Name,
            Round = round,
            Rate = rate,
            Executions = probe.Executions,
            Deduplicated = stats.Deduplicated,
            Retried = stats.Retried,
            RedisCpuSeconds = variant.Store == "redis" ? redisCpuSeconds : null,
            StoreOperations = store?.Counts ?? new Dictionary<string, long>(),
        };
    }

    /// <summary>Each store alone, on a fresh file or prefix, after a first pass that warms it up.</summary>
    private async Task<IReadOnlyDictionary<string, string>> StoreLatenciesAsync(RedisServer redis, CancellationToken cancellationToken)
    {
        var latencies = new Dictionary<string, string>();
        foreach (var variant in DedupVariant.All.Where(v => v.Store is not null && v.Dedupe))
        {
            using var directory = new TempDirectory("dedup-latency");
            await using var store = OpenStore(variant, directory.Path, redis)!;
            await StoreLatency.MeasureAsync(store, cancellationToken);
            latencies[variant.Store!] = await StoreLatency.MeasureAsync(store, cancellationToken);
            log($"dedup: {variant.Store} store alone: {latencies[variant.Store!]}");
        }
        return latencies;
    }

    private static JobTypeStats Stats(Dispatcher dispatcher, string jobType) => dispatcher.GetStats().Single(s => s.Type == jobType);

    private static CountingStateStore? OpenStore(DedupVariant variant, string directory, RedisServer redis)
    {
        IJobStateStore? store = variant.Store switch
        {
            null => null,
            "embedded" => SqliteJobStateStore.Open(Path.Combine(directory, "state.db")),
            "redis" => RedisJobStateStore.Connect(new RedisJobStateStoreOptions
            {
                Configuration = redis.Configuration,
                Prefix = "bench-" + Guid.NewGuid().ToString("N")[..12] + ":",
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant.Store, "unknown store"),
        };
        return store is null ? null : new CountingStateStore(store);
    }

    private static string RedisVersion()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true });
            var text = process?.StandardOutput.ReadToEnd() ?? "";
            process?.WaitForExit();
            return text.Split(' ').FirstOrDefault(t => t.StartsWith("v=", StringComparison.Ordinal))?[2..] ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
