using Courier.Canaries;
using Courier.Testing;
using Courier.Testing.Alerting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.Incident;

/// <summary>
/// The 2019 incident replayed with a clock (issue 12): steady traffic of three job types on runners over loopback HTTP;
/// a runner release that fails every massMessage job with the 2019 error is deployed either as the pool's canary
/// (<see cref="IncidentGuard.Canary"/>) or to the whole pool (<see cref="IncidentGuard.Breaker"/>: only the type's
/// breaker stands in the way). Each round measures the seconds from the first failing execution to the guard's
/// decision (time to detect) and to the last failing execution before it took effect (time to stop), then lets the
/// backlog drain — after the fix, for the breaker — and counts what was delivered, held and dead-lettered.
/// </summary>
internal sealed class IncidentBench(BenchOptions options, Action<string> log)
{
    /// <summary>The type the release breaks.</summary>
    public const string JobType = "massMessage";

    /// <summary>Every type of the steady traffic.</summary>
    public static readonly IReadOnlyList<string> JobTypes = ["refreshLinks", "htmlCacheUpdate", JobType];

    private const string StableRelease = "1.34.0-wmf.1";
    private const string BrokenRelease = "1.34.0-wmf.2";
    private const string Pool = "jobrunners";
    private static readonly RunnerKey Key = new("bench", "incident-bench-secret-0123456789");
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How long the traffic goes on after the guard acted, so a job still reaching the broken release would show.</summary>
    private static readonly TimeSpan AfterDecision = TimeSpan.FromSeconds(10);

    /// <summary>Jobs in flight when the breaker paused their type finish within this (each execution takes microseconds).</summary>
    private static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(1);

    public async Task<IncidentResult> RunAsync(CancellationToken cancellationToken)
    {
        var rounds = new List<IncidentRound>();
        foreach (var engine in options.DetectEngines)
        {
            foreach (var guard in Enum.GetValues<IncidentGuard>())
            {
                for (var round = 1; round <= options.IncidentRounds; round++)
                {
                    var result = await RunRoundAsync(engine, guard, round, cancellationToken);
                    log($"{engine} {guard} round {round}: {result}");
                    rounds.Add(result);
                }
            }
        }
        return new IncidentResult
        {
            Rate = options.IncidentRate,
            Rounds = rounds,
            Summaries = [.. rounds.GroupBy(r => (r.Engine, r.Guard)).Select(g => IncidentSummary.Of(g.Key.Guard, g.Key.Engine, [.. g]))],
            Settings = new Dictionary<string, string>
            {
                ["traffic"] = $"{options.IncidentRate} jobs/s of each of {string.Join(", ", JobTypes)}; every {JobType} job fails on {BrokenRelease}",
                ["canary"] = $"defaults: {Describe(new CanaryOptions())}",
                ["breaker"] = "defaults of the rule (JobRule.Breaker)",
                ["after the decision"] = $"traffic goes on {AfterDecision.TotalSeconds:0} s; the breaker round then fixes the release and drains",
            },
        };
    }

    private static string Describe(CanaryOptions c) =>
        $"steps [{string.Join(", ", c.Steps)}] % every {c.StepAfter}, gate floor {c.Gate.Floor:P0} factor {c.Gate.Factor} min {c.Gate.MinSamples} samples, "
        + $"judge {c.Judge.Intervals} × {c.Judge.Interval} at alpha {c.Judge.Alpha}";

    private async Task<IncidentRound> RunRoundAsync(string engine, IncidentGuard guard, int round, CancellationToken cancellationToken)
    {
        using var data = new TempDirectory("incident-" + engine);
        using var cluster = engine == "kafka" ? KafkaDevCluster.Start(brokers: 3) : null;
        cluster?.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        await using var jobLog = cluster is null
            ? SqliteJobLog.Open(Path.Combine(data.Path, "log.db"), new SqliteJobLogOptions())
            : (IJobLog)new KafkaJobLog(cluster.CreateJobLogOptions());
        var canaryDeployed = guard == IncidentGuard.Canary;
        await using var stable = await IncidentRunner.StartAsync(canaryDeployed ? StableRelease : BrokenRelease, broken: !canaryDeployed, Key, cancellationToken);
        await using var canary = canaryDeployed ? await IncidentRunner.StartAsync(BrokenRelease, broken: true, Key, cancellationToken) : null;
        var broken = (canary ?? stable).Broken;

        var courierOptions = new CourierOptions();
        var pool = new RunnerPoolOptions { Name = Pool, Urls = [stable.Url], SigningKey = Key };
        if (canary is not null)
        {
            pool.Canary = new CanaryOptions { Urls = [canary.Url] };
        }
        var dispatcherOptions = new DispatcherOptions { GroupId = "incident-bench" };
        dispatcherOptions.RunnerPools.Add(pool);
        foreach (var type in JobTypes)
        {
            dispatcherOptions.Rules.Add(new JobRule { Type = type, Runner = Pool, Concurrency = 20 });
        }
        using var telemetry = new CourierTelemetry();
        await using var dispatcher = new Dispatcher(jobLog, new InProcessExecutor(new JobHandlerRegistry(courierOptions)), dispatcherOptions,
            courierOptions, telemetry, NullLogger<Dispatcher>.Instance, TimeProvider.System);
        await dispatcher.StartAsync(cancellationToken);
        using var client = new CourierClient(jobLog, courierOptions, telemetry, TimeProvider.System);

        var perTick = Math.Max(1, options.IncidentRate * EndToEndLoad.Tick.Milliseconds / 1000);
        var loads = JobTypes.Select(t => EndToEndLoad.Start(client, t, perTick)).ToList();
        DateTimeOffset? decidedAt;
        DateTimeOffset firstFailure;
        try
        {
            firstFailure = await WaitForAsync(() => broken.FirstFailure, TimeSpan.FromSeconds(options.DetectLimitSeconds), cancellationToken)
                ?? throw new InvalidOperationException($"no {JobType} job failed on {BrokenRelease} within {options.DetectLimitSeconds} s");
            decidedAt = await WaitForAsync(() => Decision(dispatcher, guard), TimeSpan.FromSeconds(options.DetectLimitSeconds), cancellationToken);
            await Task.Delay(AfterDecision, cancellationToken);
        }
        finally
        {
            foreach (var load in loads)
            {
                await load.DisposeAsync();
            }
        }
        // The broken release's executions until the guard's decision took effect: for the canary every one (none is
        // sent to it after the rollback; those in flight finish); for the breaker those that finished within
        // InFlightGrace of the pause, the jobs in flight at the pause. Later ones are the breaker's half-open trials,
        // at open_for and growing intervals, counted apart.
        var failures = broken.Failures;
        var cutOff = decidedAt is { } decision && guard == IncidentGuard.Breaker ? decision + InFlightGrace : DateTimeOffset.MaxValue;
        var beforeStop = failures.Where(f => f <= cutOff).ToList();
        broken.Fix();
        var drained = await WaitForAsync(async () => await dispatcher.IsIdleAsync(cancellationToken) ? (bool?)true : null,
            TimeSpan.FromSeconds(300), cancellationToken) is true;
        var stats = dispatcher.GetStats().Single(s => s.Type == JobType);
        return new IncidentRound
        {
            Engine = engine,
            Guard = guard,
            Round = round,
            FirstFailureAt = firstFailure,
            DetectSeconds = decidedAt is { } d ? (d - firstFailure).TotalSeconds : null,
            // Stopped once the decision took effect and the failing executions in flight at it had ended.
            StopSeconds = decidedAt is { } at ? ((at > beforeStop[^1] ? at : beforeStop[^1]) - firstFailure).TotalSeconds : null,
            FailedExecutions = beforeStop.Count,
            TrialFailures = failures.Count - beforeStop.Count,
            Enqueued = loads[JobTypes.Count - 1].Enqueued,
            Drained = drained,
            Succeeded = stats.Succeeded,
            Held = stats.Held,
            DeadLettered = stats.DeadLettered,
        };
    }

    /// <summary>When the guard acted: the canary's rollback, or the breaker's pause of the type; null until then.</summary>
    private static DateTimeOffset? Decision(Dispatcher dispatcher, IncidentGuard guard) => guard switch
    {
        IncidentGuard.Canary => dispatcher.GetCanaries().Single().History.LastOrDefault(t => t.State == CanaryState.RolledBack)?.At,
        _ => dispatcher.GetStats().Single(s => s.Type == JobType).PausedSince,
    };

    private static Task<T?> WaitForAsync<T>(Func<T?> read, TimeSpan limit, CancellationToken cancellationToken) where T : struct =>
        WaitForAsync(() => ValueTask.FromResult(read()), limit, cancellationToken);

    private static async Task<T?> WaitForAsync<T>(Func<ValueTask<T?>> read, TimeSpan limit, CancellationToken cancellationToken) where T : struct
    {
        var until = DateTimeOffset.UtcNow + limit;
        while (DateTimeOffset.UtcNow < until)
        {
            if (await read() is { } value)
            {
                return value;
            }
            await Task.Delay(Poll, cancellationToken);
        }
        return null;
    }
}
