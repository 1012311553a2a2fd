using System.Globalization;
using Courier.Bench.Dedup;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.Ledger;

/// <summary>
/// The outcome ledger's cost (issue 15): the same workload of no-op jobs over 16 wikis drained by the dispatcher with
/// <see cref="DispatcherOptions.OutcomeLedger"/> off and on, on the embedded SQLite log and on librdkafka's mock cluster.
/// Rounds run both variants on a fresh log (SQLite) or topic (Kafka), alternating the order, after an uncounted warm-up
/// of each; the table gives jobs/s, CPU and allocation per job, the ratio on ÷ off of the same round, and the ledger's
/// records and produce calls per job (how well its group commit batched).
/// </summary>
internal sealed class LedgerBench(BenchOptions options, Action<string> log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    public async Task<LedgerResult> RunAsync(CancellationToken cancellationToken)
    {
        var jobs = options.LedgerJobs;
        var runs = new List<LedgerRun>();
        foreach (var engine in options.DetectEngines)
        {
            await using var logs = DedupLogs.Create(engine, options.KafkaPartitions);
            if (options.WarmupJobs > 0)
            {
                log($"ledger warm-up ({engine}): {options.WarmupJobs:N0} jobs per variant (not counted)");
                foreach (var ledger in (bool[])[false, true])
                {
                    await DrainAsync(logs, ledger, options.WarmupJobs, round: 0, cancellationToken);
                }
            }
            for (var round = 1; round <= options.LedgerRounds; round++)
            {
                // Odd rounds run the ledger off first, even rounds on first: neither always gets the fresher process.
                foreach (var ledger in round % 2 == 1 ? (bool[])[false, true] : [true, false])
                {
                    var run = await DrainAsync(logs, ledger, jobs, round, cancellationToken);
                    runs.Add(run);
                    log($"ledger {engine} round {round}, {LedgerRun.VariantName(ledger)}: {run.Rate.PerSecond:N0} jobs/s, "
                        + $"{run.LedgerRecords:N0} entries in {run.LedgerWrites:N0} writes");
                }
            }
        }
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        return new LedgerResult
        {
            Jobs = jobs,
            Runs = runs,
            Settings = new Dictionary<string, string>
            {
                ["engines"] = "SqliteJobLog (defaults, 4 partitions), a fresh file per drain; KafkaJobLog on librdkafka's mock cluster (3 brokers, in this process), "
                    + $"a fresh topic of {N(options.KafkaPartitions)} partitions and classic group per drain, as in the dedup section; jobs enqueued before the dispatcher starts",
                ["rule"] = $"concurrency {N(options.CourierConcurrency)}, in-process no-op handler; default DispatcherOptions but OutcomeLedger",
                ["ledger"] = "on: one entry per job to <service>.outcomes (4 partitions on SQLite, the mock's default on Kafka), group-committed, before each offset completes",
            },
        };
    }

    /// <summary>Enqueues <paramref name="jobs"/> into a fresh log, then times a dispatcher with the ledger off or on until every job succeeded.</summary>
    private async Task<LedgerRun> DrainAsync(DedupLogs logs, bool ledger, int jobs, int round, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory("ledger");
        // A service of its own per drain, so on Kafka each drain's ledger topic is fresh too.
        var courierOptions = new CourierOptions { Topics = new TopicNames { ServiceName = $"courier-{Guid.NewGuid():N}"[..20] } };
        using var telemetry = new CourierTelemetry();
        var (jobLog, jobType) = logs.Next(directory.Path, courierOptions);
        await using var ownedLog = logs.OwnsLogs ? jobLog : null;
        using (var client = new CourierClient(jobLog, courierOptions, telemetry, TimeProvider.System))
        {
            for (var done = 0; done < jobs; done += options.BatchSize)
            {
                await client.EnqueueBatchAsync(Enumerable.Range(done, Math.Min(options.BatchSize, jobs - done))
                    .Select(i => new JobRequest { Type = jobType, Database = $"wiki{i % 16}", Params = new NoopParams(i, 0) }).ToList(), cancellationToken);
            }
        }
        var probe = new JobProbe();
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CourierNoopHandler(probe));
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "bench-" + jobType,
            Rules = { new JobRule { Type = jobType, Concurrency = options.CourierConcurrency } },
            OutcomeLedger = ledger,
        };
        // Counts the ledger's produce calls and entries (holding none); the drain owns the log, so this is not disposed.
        var counted = HoldingJobLog.Counting(jobLog, courierOptions.Topics.OutcomeLedgerTopic);
        await using var dispatcher = new Dispatcher(counted, new InProcessExecutor(registry), dispatcherOptions, courierOptions, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var limit = TimeSpan.FromSeconds(options.PhaseLimitSeconds);
        var rate = await SystemBench.MeasureAsync(jobs, async () =>
        {
            var start = DateTime.UtcNow;
            await dispatcher.StartAsync(cancellationToken);
            // Succeeded is counted once the job's entry is durable (with the ledger on).
            while (Succeeded(dispatcher) < jobs && DateTime.UtcNow - start < limit)
            {
                await Task.Delay(Poll, cancellationToken);
            }
            return Math.Min(Succeeded(dispatcher), jobs);
        });
        await dispatcher.StopAsync(cancellationToken);
        return new LedgerRun
        {
            Engine = logs.Engine,
            Ledger = ledger,
            Round = round,
            Rate = rate,
            LedgerRecords = counted.Records,
            LedgerWrites = counted.Calls,
        };
    }

    private static long Succeeded(Dispatcher dispatcher) => dispatcher.GetStats().Sum(s => s.Succeeded);
}
