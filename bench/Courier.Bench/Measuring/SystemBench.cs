using System.Diagnostics;
using Courier.Bench.Dedup;
using Courier.Bench.Audit;
using Courier.Bench.Dlq;
using Courier.Bench.Lag;
using Courier.Bench.Ledger;
using Courier.Bench.Detect;
using Courier.Bench.Incident;
using Courier.Bench.Limit;
using Courier.Bench.KafkaLatency;

namespace Courier.Bench;

/// <summary>Measures one system, phase by phase, each on a fresh store, after a warm-up round that is not counted.</summary>
internal sealed class SystemBench
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);

    private readonly BenchSystem _system;
    private readonly BenchOptions _options;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _enqueueMethod;
    private IReadOnlyDictionary<string, string>? _settings;

    public SystemBench(BenchSystem system, BenchOptions options)
    {
        _system = system;
        _options = options;
    }

    public async Task<SystemResult> RunAsync(IReadOnlyList<BenchPhase> phases, CancellationToken cancellationToken)
    {
        var result = new SystemResult { System = BenchSystems.Name(_system), Title = BenchSystems.Title(_system) };
        if (_system == BenchSystem.Kafka)
        {
            // A section of its own: one mock cluster, its own warm-up, rounds of bare loop against Courier.
            return result with { Kafka = await new KafkaBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Http)
        {
            // A section of its own: the runner in a further process, in-process and HTTP paths over the same jobs.
            return result with { Http = await new HttpBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Detect)
        {
            // A section of its own: rounds of a type breaking under the watcher, Prometheus and Alertmanager.
            return result with { Detect = await new DetectBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Incident)
        {
            // A section of its own: rounds of a broken runner release behind the canary, then behind the breaker.
            return result with { Incident = await new IncidentBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Dedup)
        {
            // A section of its own: the same workload with no state store, the embedded store and Redis.
            return result with { Dedup = await new DedupBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Dlq)
        {
            // A section of its own: a million dead letters, the index built from them, the console's queries timed.
            return result with { Dlq = await new DlqBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Lag)
        {
            // A section of its own: 800 partitions' watermarks read one by one and in one batch.
            return result with { Lag = await new LagBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Audit)
        {
            // A section of its own: a million job records and ledger entries, audited.
            return result with { Audit = await new AuditBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.Ledger)
        {
            // A section of its own: the same workload with the outcome ledger off and on, on each engine.
            return result with { Ledger = await new LedgerBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system == BenchSystem.KafkaLatency)
        {
            // A section of its own: paced jobs timed from enqueue to start, Courier beside a bare pair, per tuning and rate.
            return result with { KafkaLatency = await new KafkaLatencyBench(_options, Log).RunAsync(cancellationToken) };
        }
        if (_system != BenchSystem.Courier)
        {
            HangfireTarget.ConfigureGlobal();
        }
        if (_options.WarmupJobs > 0)
        {
            Log($"warm-up: {_options.WarmupJobs} jobs (not counted)");
            await EnqueueThenDrainAsync(_options.WarmupJobs, TimeSpan.FromSeconds(_options.PhaseLimitSeconds), cancellationToken);
        }
        foreach (var phase in phases)
        {
            switch (phase)
            {
                case BenchPhase.Rates:
                    Log($"rates: enqueue {_options.Jobs} jobs, then process them");
                    var (enqueue, processing, _, _) = await EnqueueThenDrainAsync(
                        _options.Jobs, TimeSpan.FromSeconds(_options.PhaseLimitSeconds), cancellationToken);
                    result = result with { Enqueue = enqueue, Processing = processing };
                    Log($"rates: enqueue {enqueue.PerSecond:N0}/s, processing {processing.PerSecond:N0}/s");
                    if (_system == BenchSystem.Courier)
                    {
                        // The same records appended and read with plain SQLite under the engine's settings, in this run.
                        result = result with { SqliteLimit = await new SqliteLimitBench(_options, Log).RunAsync(_options.Jobs, cancellationToken) };
                    }
                    break;
                case BenchPhase.Latency:
                    Log($"latency: {_options.LatencyRate} jobs/s for {_options.LatencySeconds} s");
                    var latency = await MeasureLatencyAsync(cancellationToken);
                    result = result with { Latency = latency };
                    Log($"latency: p50 {latency.P50Ms:N1} ms, p95 {latency.P95Ms:N1} ms, p99 {latency.P99Ms:N1} ms");
                    break;
                case BenchPhase.Backlog:
                    Log($"backlog: enqueue {_options.Backlog} jobs, then drain them");
                    var (backlogEnqueue, drain, workingSet, gcHeap) = await EnqueueThenDrainAsync(
                        _options.Backlog, TimeSpan.FromSeconds(_options.BacklogLimitSeconds), cancellationToken);
                    result = result with
                    {
                        Backlog = new BacklogResult
                        {
                            Enqueue = backlogEnqueue,
                            Drain = drain,
                            WorkingSetBeforeDrainBytes = workingSet,
                            GcHeapBeforeDrainBytes = gcHeap,
                        },
                    };
                    Log($"backlog: drained {drain.PerSecond:N0}/s, peak working set {drain.PeakWorkingSetBytes / 1048576.0:N0} MiB");
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(phases));
            }
        }
        return result with { EnqueueMethod = _enqueueMethod, Settings = _settings ?? new Dictionary<string, string>() };
    }

    /// <summary>Enqueues <paramref name="jobs"/> into the stopped system, then starts it and times the drain.</summary>
    private async Task<(RateResult Enqueue, RateResult Drain, long WorkingSet, long GcHeap)> EnqueueThenDrainAsync(
        int jobs, TimeSpan limit, CancellationToken cancellationToken)
    {
        var probe = new JobProbe();
        using var directory = new TempDirectory(BenchSystems.Name(_system));
        await using var target = CreateTarget(directory.Path, probe);

        // Hangfire enqueues one job per call; small chunks keep a slow system from overshooting the phase limit.
        var chunk = _system == BenchSystem.Courier ? _options.BatchSize : Math.Min(_options.BatchSize, 100);
        var enqueued = 0L;
        var progress = Stopwatch.StartNew();
        var enqueue = await MeasureAsync(jobs, async () =>
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
            while (enqueued < jobs && Stopwatch.GetTimestamp() < deadline)
            {
                var count = (int)Math.Min(chunk, jobs - enqueued);
                await target.EnqueueManyAsync(enqueued, count, cancellationToken);
                enqueued += count;
                if (progress.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Log($"  enqueued {enqueued:N0}");
                    progress.Restart();
                }
            }
            return enqueued;
        });

        // The drain starts from a collected heap so that its peaks are its own.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var workingSet = Environment.WorkingSet;
        var gcHeap = GC.GetTotalMemory(forceFullCollection: false);

        var drainStart = 0L;
        var drain = await MeasureAsync(enqueued, async () =>
        {
            var done = probe.WhenExecuted(enqueued);
            drainStart = Stopwatch.GetTimestamp();
            await target.StartAsync(cancellationToken);
            using var reporter = new CancellationTokenSource();
            var reporting = ReportProgressAsync(probe, reporter.Token);
            await Task.WhenAny(done, Task.Delay(limit, cancellationToken));
            await reporter.CancelAsync();
            await reporting;
            return Math.Min(probe.Executions, enqueued);
        });
        await target.StopAsync(cancellationToken);
        if (probe.FirstStart != 0)
        {
            drain = drain with { FirstJobMs = Milliseconds(probe.FirstStart - drainStart) };
        }
        return (enqueue, drain, workingSet, gcHeap);
    }

    private async Task<LatencyResult> MeasureLatencyAsync(CancellationToken cancellationToken)
    {
        var rate = _options.LatencyRate;
        var total = rate * _options.LatencySeconds;
        var probe = new JobProbe(total);
        using var directory = new TempDirectory(BenchSystems.Name(_system));
        await using var target = CreateTarget(directory.Path, probe);
        await target.StartAsync(cancellationToken);
        // Let the consumer (or the workers' fetch loops) settle before the first job, as in a running application.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        // Open loop: job i is due at start + i/rate whatever happened to job i−1 (PacedSend).
        var send = await PacedSend.RunAsync(rate, total, (sequence, stamp, ct) => target.EnqueueOneAsync(sequence, stamp, ct), cancellationToken);
        await Task.WhenAny(probe.WhenExecuted(total), Task.Delay(TimeSpan.FromSeconds(_options.LatencyGraceSeconds), cancellationToken));
        var end = Stopwatch.GetTimestamp();
        await target.StopAsync(cancellationToken);
        return send.Summarize(rate, i => probe.StartDelay(i), probe.Duplicates, end);
    }

    private IBenchTarget CreateTarget(string directory, JobProbe probe)
    {
        IBenchTarget target = _system switch
        {
            BenchSystem.Courier => new CourierTarget(directory, probe, _options),
            BenchSystem.HangfireMemory => HangfireTarget.InMemory(probe, _options),
            BenchSystem.HangfireSqlite => HangfireTarget.Sqlite(directory, probe, _options),
            _ => throw new InvalidOperationException($"no target for {_system}"),
        };
        _enqueueMethod = target.EnqueueMethod;
        _settings = target.Settings;
        return target;
    }

    /// <summary>Runs <paramref name="work"/> (which returns the jobs it did), measuring time, CPU, allocations and memory.</summary>
    internal static async Task<RateResult> MeasureAsync(long planned, Func<Task<long>> work)
    {
        await using var memory = new MemorySampler(SampleInterval);
        var resources = ResourceUse.Now();
        var start = Stopwatch.GetTimestamp();
        var jobs = await work();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var used = ResourceUse.Since(resources);
        await memory.StopAsync();
        return new RateResult
        {
            Jobs = jobs,
            Planned = planned,
            Seconds = seconds,
            CpuSeconds = used.CpuTime.TotalSeconds,
            AllocatedBytes = used.AllocatedBytes,
            Collections = [used.Gen0, used.Gen1, used.Gen2],
            PeakWorkingSetBytes = memory.PeakWorkingSet,
            PeakGcHeapBytes = memory.PeakGcHeap,
        };
    }

    private async Task ReportProgressAsync(JobProbe probe, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Log($"  executed {probe.Executions:N0}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done.
        }
    }

    private static double Milliseconds(long ticks) => PacedSend.Milliseconds(ticks);

    private void Log(string message) =>
        Console.Error.WriteLine($"[{BenchSystems.Name(_system)} {_clock.Elapsed.TotalSeconds,6:0.0}s] {message}");
}
