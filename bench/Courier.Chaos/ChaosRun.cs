using System.Diagnostics;
using System.Globalization;
using Courier.Chaos.Faults;
using Courier.Chaos.Fleet;
using Courier.Testing;
using Courier.Chaos.Reporting;
using Courier.Chaos.Verdict;
using Courier.Chaos.Workload;
using Courier.Server.Audit;

namespace Courier.Chaos;

/// <summary>
/// One soak: starts the engine, the runners behind their fault proxies and the dispatchers; enqueues the workload
/// while the seeded schedule's faults play; then waits until the audit shows nothing pending and nothing in retry
/// (within <see cref="ChaosOptions.DrainBound"/>), runs <c>courier audit --json</c> as a process and judges it.
/// </summary>
public static class ChaosRun
{
    /// <summary>Runs the soak, writing progress and the report to <paramref name="output"/>.</summary>
    public static async Task<ChaosResult> RunAsync(ChaosOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var files = new ChaosFiles(options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"courier-chaos-{options.Engine.ToString().ToLowerInvariant()}-{options.Seed}-{Environment.ProcessId}"));
        var (tmpfs, tmpfsError) = TmpfsData.TryMount(files.Data, TmpfsMegabytes(options));
        using var mount = tmpfs;
        var schedule = FaultSchedule.Create(options, ChaosEngine.BrokersFor(options), tmpfs is not null);
        var report = new ChaosReport(options, files, schedule, tmpfsError);
        output.WriteLine(report.Header());

        await using var engine = ChaosEngine.Start(options, files);
        await using var runners = await RunnerFleet.StartAsync(files, options.Runners, cancellationToken);
        ChaosConfigFile.Write(files.Config, files.Data, engine.BootstrapServers, runners.Proxies.Select(p => p.Url).ToList(), runners.Secret, options.Jobs);
        using var dispatchers = new DispatcherFleet(files, options.Dispatchers);
        dispatchers.Start();

        var workload = new ChaosWorkload(options);
        var injector = new FaultInjector(dispatchers, runners, files, engine.Cluster, tmpfs, output);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        // Progress lines run on through the settle, so a stalled settle shows what it waits for.
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ProgressAsync(workload, engine, dispatchers, runners, clock, output, stopProgress.Token);
        using (var telemetry = new CourierTelemetry())
        using (var client = new CourierClient(engine.Log, new CourierOptions(), telemetry, TimeProvider.System))
        {
            await Task.WhenAll(workload.RunAsync(client, cancellationToken), injector.RunAsync(schedule, clock, cancellationToken));
        }
        var enqueuedIn = clock.Elapsed;
        output.WriteLine($"workload enqueued and faults over after {enqueuedIn.TotalSeconds:0.0} s; waiting for the audit to settle");

        AuditResult? audit = null;
        IReadOnlyList<string> truncated = [];
        try
        {
            audit = await SettleAsync(engine, files, options.DrainBound, output, cancellationToken);
            truncated = await DrainWatch.TruncatedAsync(engine.Log, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or JobLogException)
        {
            failures.Add(e.Message);
        }
        await stopProgress.CancelAsync();
        await progress;
        var settledIn = clock.Elapsed;
        await dispatchers.StopAsync();
        await runners.StopAsync();

        var killedDispatchers = dispatchers.Members.SelectMany(m => m.Killed).ToHashSet();
        var crashes = dispatchers.Members.Concat(runners.Members).SelectMany(m => m.Crashes).ToList();
        var verdict = audit is null
            ? ChaosVerdictFor(failures, crashes)
            : ChaosVerdict.Judge(audit, workload.EnqueuedByType, truncated, killedDispatchers, dispatchers.Members.SelectMany(m => m.KilledAt).ToList(), crashes, failures);
        var faultsByKind = schedule.Faults.GroupBy(f => FaultNames.Of(f.Kind)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var text = report.Summary(workload, injector.Events, faultsByKind, dispatchers, runners, audit, verdict, enqueuedIn, settledIn);
        output.WriteLine(text);
        return new ChaosResult
        {
            Report = report.Header() + text,
            Audit = audit,
            Verdict = verdict,
            FaultsByKind = faultsByKind,
            KilledDispatchers = killedDispatchers.Count,
            KilledRunners = runners.Members.Sum(m => m.Killed.Count),
        };
    }

    private static ChaosVerdict ChaosVerdictFor(List<string> failures, List<string> crashes) =>
        ChaosVerdict.Judge(new AuditResult { ExitCode = -1 }, new Dictionary<string, long>(), [], new HashSet<int>(), [], crashes, [.. failures, "no final audit"]);

    /// <summary>
    /// Waits until the group has caught up (cheap, from the log), then until the audit — <see cref="LedgerAudit"/> in
    /// this process, on the harness's own connection to the log — shows nothing pending and nothing in retry; then
    /// runs <c>courier audit --json</c> as a process, as an operator would, whose result is judged (and kept in the work
    /// directory's <c>audit.json</c>). Throws when
    /// <paramref name="bound"/> passes first.
    /// </summary>
    private static async Task<AuditResult> SettleAsync(ChaosEngine engine, ChaosFiles files, TimeSpan bound, TextWriter output, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        AuditReport? last = null;
        string? lastError = null;
        var unanswered = 0;
        while (deadline.Elapsed < bound)
        {
            var log = engine.Log;
            try
            {
                var lag = await DrainWatch.LagAsync(log, cancellationToken);
                unanswered = 0;
                if (lag == 0)
                {
                    last = await LedgerAudit.RunAsync(log, new CourierOptions(), new DispatcherOptions().GroupId, AuditRange.All, cancellationToken);
                    output.WriteLine($"audit (in process): {last.Total.Pending} pending, {last.Total.InRetry} in retry, {last.Total.Unaccounted} unaccounted");
                    if (last.Total is { Pending: 0, InRetry: 0 })
                    {
                        var audit = await AuditProcess.RunAsync(files, bound);
                        await File.WriteAllTextAsync(files.AuditJson, audit.Json, cancellationToken);
                        output.WriteLine($"courier audit --json: exit {audit.ExitCode}, {audit.Total.Pending} pending, {audit.Total.InRetry} in retry, {audit.Total.Unaccounted} unaccounted");
                        return audit; // exit 0 or 4: AuditProcess throws on any other
                    }
                }
            }
            catch (JobLogException e)
            {
                // The log did not answer (the Kafka mock times requests out for a while after a broker came back):
                // ask again, as an operator would, until the bound. Letting it end the run would take the fleet down
                // with it and judge nothing.
                lastError = e.Message;
                output.WriteLine($"settling: the log did not answer ({e.Message}); asking again");
                if (++unanswered % 3 == 0)
                {
                    output.WriteLine("settling: three unanswered in a row; the harness opens new clients to the log");
                    await engine.ReopenAsync();
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
        throw new TimeoutException($"not settled within {bound.TotalSeconds:0} s: "
            + (last is null ? "the dispatchers' group never caught up with the job and retry topics" : $"last audit: {last.Total.Pending} pending, {last.Total.InRetry} in retry")
            + (lastError is null ? "" : $"; last error: {lastError}"));
    }

    /// <summary>Prints enqueued jobs, the group's uncommitted records and the processes up every 10 s until cancelled.</summary>
    private static async Task ProgressAsync(ChaosWorkload workload, ChaosEngine engine, DispatcherFleet dispatchers, RunnerFleet runners, Stopwatch clock,
        TextWriter output, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                string lag;
                try
                {
                    lag = (await DrainWatch.LagAsync(engine.Log, cancellationToken)).ToString(CultureInfo.InvariantCulture);
                }
                catch (JobLogException e)
                {
                    lag = "unknown (" + e.Message + ")";
                }
                catch (ObjectDisposedException)
                {
                    lag = "unknown (the harness was reopening its clients)";
                }
                output.WriteLine($"{clock.Elapsed.TotalSeconds,7:0.0}s  enqueued {workload.Enqueued}, uncommitted {lag}; up: dispatchers {Up(dispatchers.Members)}/{dispatchers.Members.Count}, runners {Up(runners.Members)}/{runners.Members.Count}");
            }
        }
        catch (OperationCanceledException)
        {
            // The workload is over.
        }
    }

    private static int Up(IEnumerable<FleetMember> members) => members.Count(m => m.Pid is not null);

    private static long TmpfsMegabytes(ChaosOptions options) => 256 + (options.Jobs * 5L / 1024);
}
