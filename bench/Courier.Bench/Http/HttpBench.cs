using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Courier.Bench.Http;
using Courier.Bench.Limit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench;

/// <summary>
/// The HTTP runner section: Courier's dispatcher on the embedded SQLite log, in this process, runs the no-op job type
/// through an HTTP runner pool — every job POSTed, signed, to a runner in a process of its own on loopback
/// (<see cref="RunnerHost"/>) — and, beside it in the same run, through the in-process executor, over the same number
/// of jobs with the same rule. Rounds alternate which path goes first, after an uncounted warm-up of each; then each
/// path's start latency at the paced rate of the latency runs.
/// </summary>
/// <remarks>
/// A job counts when the runner's handler has been called (the runner's probe, read over loopback once the last job
/// has started), exactly as the in-process path counts its handler calls; start latency is the handler's
/// <see cref="Stopwatch"/> timestamp minus the one the job carried, which are comparable across processes on Linux
/// (CLOCK_MONOTONIC). CPU is reported for both processes.
/// </remarks>
internal sealed class HttpBench
{
    /// <summary>The runner's execution limit; the rule's timeout must be longer.</summary>
    public static readonly TimeSpan RunnerExecutionLimit = TimeSpan.FromSeconds(30);

    private const string PoolName = "bench-runners";
    private static readonly TimeSpan RuleTimeout = TimeSpan.FromSeconds(60);

    // Jobs are spread over several wikis so that every partition of the job topic gets work.
    private static readonly string[] Databases = [.. Enumerable.Range(0, 16).Select(i => $"wiki{i}")];

    private readonly BenchOptions _options;
    private readonly Action<string> _log;

    public HttpBench(BenchOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public async Task<HttpResult> RunAsync(CancellationToken cancellationToken)
    {
        // One key, shared with the runner through COURIER_RUNNER_KEYS as a dispatcher and its runners would share it:
        // the runner process inherits this environment, and the pool (no signing key of its own) reads it too.
        Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable,
            "bench=base64:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await using var runner = await BenchRunnerProcess.StartAsync(_options, cancellationToken);
        _log($"http: runner process at {runner.Url}");
        var jobs = _options.HttpJobs;
        // The bare loop's requests: the same job events the log holds, captured once (not timed).
        var events = (await LimitRecords.CaptureAsync(_options, jobs, cancellationToken)).Select(r => r.Value).ToList();

        if (_options.WarmupJobs > 0)
        {
            var warmup = Math.Max(_options.WarmupJobs, 20_000);
            // Two passes: the first one's code is still being recompiled by the tiered JIT (and the runner's too) well
            // into the next run; measured rounds after a single pass ran at half the speed of later ones.
            _log($"http warm-up: 2 × {warmup:N0} jobs through each path (not counted)");
            for (var pass = 0; pass < 2; pass++)
            {
                await DrainAsync(null, warmup, cancellationToken);
                await DrainAsync(runner, warmup, cancellationToken);
                await BareAsync(runner, h2c: false, events.Take(warmup).ToList(), cancellationToken);
                await BareAsync(runner, h2c: true, events.Take(warmup).ToList(), cancellationToken);
            }
        }

        var rounds = new List<HttpRound>();
        for (var round = 1; round <= _options.HttpRounds; round++)
        {
            // Odd rounds run the in-process path first, even rounds last: neither side always gets the fresher process.
            // The bare loops go last in odd rounds and first in even ones, in the mirrored order.
            (RateResult Rate, double RunnerCpu) inProcess, http;
            BareHttpRun bare1, bare2;
            if (round % 2 == 1)
            {
                inProcess = await DrainAsync(null, jobs, cancellationToken);
                http = await DrainAsync(runner, jobs, cancellationToken);
                bare1 = await BareAsync(runner, h2c: false, events, cancellationToken);
                bare2 = await BareAsync(runner, h2c: true, events, cancellationToken);
            }
            else
            {
                bare2 = await BareAsync(runner, h2c: true, events, cancellationToken);
                bare1 = await BareAsync(runner, h2c: false, events, cancellationToken);
                http = await DrainAsync(runner, jobs, cancellationToken);
                inProcess = await DrainAsync(null, jobs, cancellationToken);
            }
            var result = new HttpRound
            {
                Round = round, InProcess = inProcess.Rate, Http = http.Rate, RunnerCpuSeconds = http.RunnerCpu, BareHttp1 = bare1, BareH2c = bare2,
            };
            rounds.Add(result);
            _log($"http round {round}: in-process {result.InProcess.PerSecond:N0}/s, HTTP {result.Http.PerSecond:N0}/s (HTTP/in-process {result.Ratio:N2}), "
                + $"bare HTTP/1.1 {bare1.Rate.PerSecond:N0}/s, bare h2c {bare2.Rate.PerSecond:N0}/s (HTTP/bare {result.BareRatio:N2})");
        }

        LatencyResult? inProcessLatency = null;
        LatencyResult? httpLatency = null;
        if (_options.LatencySeconds > 0)
        {
            _log($"http latency: {_options.LatencyRate} jobs/s for {_options.LatencySeconds} s through each path");
            inProcessLatency = await LatencyAsync(null, cancellationToken);
            httpLatency = await LatencyAsync(runner, cancellationToken);
            _log($"http latency: in-process p50 {inProcessLatency.P50Ms:N1} / p99 {inProcessLatency.P99Ms:N1} ms, HTTP p50 {httpLatency.P50Ms:N1} / p99 {httpLatency.P99Ms:N1} ms");
        }

        static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
        return new HttpResult
        {
            Jobs = jobs,
            Rounds = rounds,
            InProcessLatency = inProcessLatency,
            HttpLatency = httpLatency,
            Settings = new Dictionary<string, string>
            {
                ["engine"] = "SqliteJobLog (defaults, 4 partitions), a fresh file per run; jobs enqueued before the dispatcher starts",
                ["rule"] = $"concurrency {N(_options.HttpConcurrency)} on both paths, timeout {RuleTimeout.TotalSeconds:0} s; default DispatcherOptions (commits every 200 ms)",
                ["runner pool"] = $"1 URL (loopback), at most {(_options.HttpConnections > 0 ? N(_options.HttpConnections) : N(_options.HttpConcurrency) + " (the pool's default: the rule's concurrency)")} connections, HTTP/1.1 keep-alive, "
                    + $"execution limit {RunnerExecutionLimit.TotalSeconds:0} s, signed (HMAC-SHA256, key from COURIER_RUNNER_KEYS)",
                ["runner"] = $"Courier.Bench --child runner: ASP.NET Core (CreateSlimBuilder, Kestrel defaults) with AddCourierRunner/MapCourierRunner, "
                    + $"MaxConcurrency {N(_options.RunnerConcurrency)}, signatures verified, no-op handler; workstation GC in both processes",
                ["bare loop"] = $"{N(_options.HttpConcurrency)} tasks POSTing the same events from memory with the pool's client settings and signing, "
                    + $"no log or dispatcher, to {BareRunnerEndpoint.Path} on the runner's Kestrel (v2 signature verified, 200 as a runner answers, nothing run, "
                    + "no replay cache); h2c: the same over HTTP/2 without TLS on a second listener, more connections opened past Kestrel's 100 streams each",
            },
        };
    }

    /// <summary>
    /// Enqueues <paramref name="jobs"/> into a fresh log, then starts a dispatcher and times it until the last job's
    /// handler has been called: in this process (<paramref name="runner"/> null) or on the runner.
    /// </summary>
    private async Task<(RateResult Rate, double RunnerCpu)> DrainAsync(BenchRunnerProcess? runner, int jobs, CancellationToken cancellationToken)
    {
        using var directory = new TempDirectory(runner is null ? "http-inprocess" : "http-runner");
        var courierOptions = new CourierOptions();
        await using var log = SqliteJobLog.Open(Path.Combine(directory.Path, "courier.db"));
        using var telemetry = new CourierTelemetry();
        using var client = new CourierClient(log, courierOptions, telemetry, TimeProvider.System);
        for (var done = 0; done < jobs; done += _options.BatchSize)
        {
            var stamp = Stopwatch.GetTimestamp();
            var batch = Enumerable.Range(done, Math.Min(_options.BatchSize, jobs - done)).Select(i => Request(i, stamp)).ToList();
            await client.EnqueueBatchAsync(batch, cancellationToken);
        }

        var probe = new JobProbe();
        if (runner is not null)
        {
            await runner.ResetProbeAsync(0, cancellationToken);
        }
        await using var dispatcher = CreateDispatcher(log, courierOptions, telemetry, probe, runner);
        var limit = TimeSpan.FromSeconds(_options.PhaseLimitSeconds);
        var start = 0L;
        var firstStart = 0L;
        var runnerCpuBefore = runner?.CpuTime ?? TimeSpan.Zero;
        var rate = await SystemBench.MeasureAsync(jobs, async () =>
        {
            start = Stopwatch.GetTimestamp();
            await dispatcher.StartAsync(cancellationToken);
            if (runner is null)
            {
                await Task.WhenAny(probe.WhenExecuted(jobs), Task.Delay(limit, cancellationToken));
                firstStart = probe.FirstStart;
                return Math.Min(probe.Executions, jobs);
            }
            var seen = await runner.WaitAsync(jobs, limit, cancellationToken);
            firstStart = seen.FirstStart;
            return Math.Min(seen.Executions, jobs);
        });
        var runnerCpu = runner is null ? 0 : (runner.CpuTime - runnerCpuBefore).TotalSeconds;
        await dispatcher.StopAsync(cancellationToken);
        return (firstStart == 0 ? rate : rate with { FirstJobMs = PacedSend.Milliseconds(firstStart - start) }, runnerCpu);
    }

    /// <summary>The bare loop: every event POSTed once to the runner process's bare endpoint, with the rule's concurrency.</summary>
    private async Task<BareHttpRun> BareAsync(BenchRunnerProcess runner, bool h2c, List<byte[]> events, CancellationToken cancellationToken)
    {
        var url = h2c ? runner.H2cUrl ?? throw new InvalidOperationException("the runner process has no h2c listener") : runner.Url;
        var key = RunnerKeySource.FromEnvironment(Environment.GetEnvironmentVariable)?.SigningKey
            ?? throw new InvalidOperationException($"{RunnerKey.EnvironmentVariable} is not set");
        var connections = _options.HttpConnections > 0 ? _options.HttpConnections : _options.HttpConcurrency;
        using var loop = new BareHttpLoop(url, h2c, connections, key, RuleTimeout);
        var before = runner.CpuTime;
        var rate = await SystemBench.MeasureAsync(events.Count, () => loop.RunAsync(events, _options.HttpConcurrency, cancellationToken));
        return new BareHttpRun { Rate = rate, RunnerCpuSeconds = (runner.CpuTime - before).TotalSeconds };
    }

    /// <summary>Start latency at the paced rate through one path, as <see cref="SystemBench"/> measures it in process.</summary>
    private async Task<LatencyResult> LatencyAsync(BenchRunnerProcess? runner, CancellationToken cancellationToken)
    {
        var rate = _options.LatencyRate;
        var total = rate * _options.LatencySeconds;
        var probe = new JobProbe(runner is null ? total : 0);
        if (runner is not null)
        {
            await runner.ResetProbeAsync(total, cancellationToken);
        }
        using var directory = new TempDirectory(runner is null ? "http-latency-inprocess" : "http-latency-runner");
        var courierOptions = new CourierOptions();
        await using var log = SqliteJobLog.Open(Path.Combine(directory.Path, "courier.db"));
        using var telemetry = new CourierTelemetry();
        using var client = new CourierClient(log, courierOptions, telemetry, TimeProvider.System);
        await using var dispatcher = CreateDispatcher(log, courierOptions, telemetry, probe, runner);
        await dispatcher.StartAsync(cancellationToken);
        // Let the consumer settle before the first job, as in a running application.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var send = await PacedSend.RunAsync(rate, total,
            async (sequence, stamp, ct) => await client.EnqueueAsync(Request(sequence, stamp), ct), cancellationToken);
        var grace = TimeSpan.FromSeconds(_options.LatencyGraceSeconds);
        LatencyResult result;
        if (runner is null)
        {
            await Task.WhenAny(probe.WhenExecuted(total), Task.Delay(grace, cancellationToken));
            var end = Stopwatch.GetTimestamp();
            result = send.Summarize(rate, i => probe.StartDelay(i), probe.Duplicates, end);
        }
        else
        {
            var seen = await runner.WaitAsync(total, grace, cancellationToken);
            var end = Stopwatch.GetTimestamp();
            result = send.Summarize(rate, i => seen.StartDelays[i] is var d and >= 0 ? d : null, seen.Duplicates, end);
        }
        await dispatcher.StopAsync(cancellationToken);
        return result;
    }

    private Dispatcher CreateDispatcher(SqliteJobLog log, CourierOptions courierOptions, CourierTelemetry telemetry, JobProbe probe, BenchRunnerProcess? runner)
    {
        var registry = new JobHandlerRegistry(courierOptions);
        var rule = new JobRule { Type = CourierTarget.JobType, Concurrency = _options.HttpConcurrency, Timeout = RuleTimeout };
        var options = new DispatcherOptions { Rules = { rule } };
        if (runner is null)
        {
            registry.Add(CourierTarget.JobType, new CourierNoopHandler(probe));
        }
        else
        {
            rule.Runner = PoolName;
            options.RunnerPools.Add(new RunnerPoolOptions
            {
                Name = PoolName,
                Urls = [runner.Url],
                ExecutionLimit = RunnerExecutionLimit,
                MaxConnections = _options.HttpConnections > 0 ? _options.HttpConnections : null,
            });
        }
        return new Dispatcher(log, new InProcessExecutor(registry), options, courierOptions, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }

    private static JobRequest Request(long sequence, long stamp) => new()
    {
        Type = CourierTarget.JobType,
        Database = Databases[sequence % Databases.Length],
        Params = new NoopParams(sequence, stamp),
    };
}
