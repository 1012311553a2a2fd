using System.CommandLine;
using System.Globalization;
using Courier.Cli.Logging;
using Courier.Cli.Rendering;
using Courier.Cli.Serving;
using Courier.Cli.Settings;
using Courier.Server.Admin;
using Courier.Server.Alerting;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier up</c>: the dispatcher service with the demo handlers on the embedded log (or Kafka: <c>--kafka dev</c>
/// starts a development cluster in this process, <c>--kafka BOOTSTRAP</c> uses a running one), a demo workload, live
/// progress, <c>/metrics</c>; runs until Ctrl+C (or, with <c>--exit-when-idle</c>, until all work is done), then
/// stops gracefully and prints a summary whose counts reconcile.
/// </summary>
internal sealed class UpCommand : Command
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);
    private const int IdleChecksNeeded = 3;

    /// <summary>Said when a dispatcher's groups switch to KIP-848 on a development cluster in another process.</summary>
    internal const string DevClusterNote = "Kafka development cluster (librdkafka's mock): consumer groups use group.protocol=consumer, "
        + "as its classic protocol stalls every rebalance for the session timeout.";

    /// <summary>
    /// Demo jobs that fit the development cluster with room to spare: 450–600 bytes each, 40 % of them one type's
    /// 4 partitions, against the mock's ~5 MiB per partition (overflow starts near 85,000).
    /// </summary>
    private const int DevClusterDemoJobs = 50_000;

    private readonly Option<int> _demoJobs = new("--demo-jobs")
    {
        Description = "Demo jobs to enqueue across massMessage, htmlCacheUpdate and refreshLinks (~8% fail then succeed, ~2% fail permanently, a few exhaust their retries).",
        HelpName = "N",
        DefaultValueFactory = _ => 5000,
    };
    private readonly Option<bool> _noDemo = new("--no-demo") { Description = "Enqueue no demo jobs (the demo handlers still serve demo types)." };
    private readonly Option<bool> _exitWhenIdle = new("--exit-when-idle")
    {
        Description = "Stop by itself once every job has ended (nothing in flight, everything committed), and print the summary.",
    };
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the summary as one JSON object on stdout; progress goes to stderr.",
    };
    private readonly Option<string?> _runners = new("--runners")
    {
        Description = "Run the demo job types on HTTP runners at these base URLs (e.g. http://127.0.0.1:5080 for `courier runner --port 5080`) "
            + "instead of in this process: a pool named `runners`, requests signed with the first key of COURIER_RUNNER_KEYS, else of "
            + "the runner's key file in the data directory.",
        HelpName = "URL[,URL…]",
    };
    private readonly Option<string?> _runnersCa = new("--runners-ca")
    {
        Description = "PEM file of the CA that https --runners' certificates must chain to; no other root is trusted then. "
            + "Default: the system's trusted roots.",
        HelpName = "FILE",
    };
    private readonly Option<int?> _metricsPort = new("--metrics-port")
    {
        Description = "Port of the HTTP surfaces' default address, 127.0.0.1 or metrics.listen's host (default 9464, or metrics.listen's port); 0 picks a free port.",
        HelpName = "PORT",
    };

    public UpCommand(CliContext context)
        : base("up", "Run Courier with a demo: dispatcher, demo handlers, live progress per job type, /metrics. Ctrl+C stops gracefully.")
    {
        Options.Add(_demoJobs);
        Options.Add(_noDemo);
        Options.Add(_exitWhenIdle);
        Options.Add(_json);
        Options.Add(_metricsPort);
        Options.Add(_runners);
        Options.Add(_runnersCa);
        IntegerRange.Check(_demoJobs, 0, int.MaxValue, "--demo-jobs must be 0 or more.");
        IntegerRange.Check(_metricsPort, 0, 65535, "--metrics-port must be between 0 and 65535.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        var json = parseResult.GetValue(_json);
        var demo = !parseResult.GetValue(_noDemo);
        var demoJobs = demo ? parseResult.GetValue(_demoJobs) : 0;
        var exitWhenIdle = parseResult.GetValue(_exitWhenIdle);
        var port = parseResult.GetValue(_metricsPort) ?? settings.MetricsPortFromConfig() ?? CourierServerOptions.DefaultMetricsPort;
        var console = context.Console;
        var time = TimeProvider.System;
        var shutdown = context.Shutdown;
        // Checked before anything starts: a bad URL or a missing key is a usage error, not a failed run.
        var runnerUrls = parseResult.GetValue(_runners) is { } runners ? DemoRunnerPool.ParseUrls(runners) : null;
        var runnerKeys = runnerUrls is null ? null : DemoRunnerPool.Keys(settings.Data, Environment.GetEnvironmentVariable);
        var caFile = parseResult.GetValue(_runnersCa);
        if (caFile is not null && runnerUrls is null)
        {
            throw new UsageException("--runners-ca needs --runners: it is the CA of those runners' certificates.");
        }
        var runnerPool = runnerUrls is null ? null : DemoRunnerPool.Create(runnerUrls, runnerKeys!.SigningKey, caFile);

        // Progress goes where the summary does not: stdout normally, stderr with --json. On a terminal it is a live
        // display. Logs go to stderr, except when stderr is the terminal the live display is drawn on: interleaved
        // log lines would tear the display apart, so they go to <data>/courier.log and the latest are shown in it.
        var progressToError = json;
        var live = progressToError ? console.ErrorIsTerminal : console.OutIsTerminal;
        var progressOut = progressToError ? console.Error : console.Out;
        var logsToFile = live && console.ErrorIsTerminal;
        settings.Data.EnsureCreated();
        using var sink = live ? new LogSink(logsToFile ? settings.Data.LogFilePath : null, keep: 3, time) : null;
        var level = settings.Verbose ? LogLevel.Information : LogLevel.Warning;

        // The demo inbox and the log file stay in the data directory whatever the engine.
        using var engine = settings.StartEngine(context, allowDevCluster: true);
        var (jobLog, onDevCluster) = await engine.Engine.ForDispatcherOnDevClusterAsync(shutdown);
        if (runnerUrls is not null)
        {
            // Which key, from where: a runner answering 403 for every job most often holds another key.
            await console.Error.WriteLineAsync($"Runners: {string.Join(", ", runnerUrls)}, requests signed with key '{runnerKeys!.SigningKey.Id}' from {runnerKeys.Origin}"
                + (caFile is null ? "" : $", certificates checked against the CA in {Path.GetFullPath(caFile)}"));
        }
        if (onDevCluster)
        {
            await console.Error.WriteLineAsync(DevClusterNote);
        }
        if ((onDevCluster || jobLog.IsDevCluster) && demoJobs > DevClusterDemoJobs)
        {
            // The mock drops a partition's oldest records beyond ~5 MiB without a word (a limit of librdkafka's mock
            // cluster); a demo that big would lose jobs to the mock and not reconcile, which says nothing about Courier.
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"warning: --demo-jobs {demoJobs} may overflow the development cluster, which keeps only about 5 MiB per partition "
                + $"and drops the oldest records beyond it; up to {DevClusterDemoJobs} is safe."));
        }
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = settings.Data,
            Config = settings.Config,
            Engine = jobLog,
            MetricsPort = port,
            // The demo handlers and rules are always there, so `up --no-demo` still drains demo jobs left in the log.
            Demo = true,
            // After the demo rules are added: with --runners every demo type goes to the pool.
            ConfigureCourier = runnerPool is null ? null : c => c.ConfigureDispatcher(o => DemoRunnerPool.Apply(o, runnerPool)),
            ConfigureLogging = logging =>
            {
                logging.SetMinimumLevel(level);
                logging.AddFilter("Microsoft", LogLevel.Warning);
                // A failed start is reported once, by the command (exit code and message); the host's own log line
                // would repeat it with a stack trace.
                logging.AddFilter("Microsoft.Extensions.Hosting", settings.Verbose ? LogLevel.Warning : LogLevel.Critical);
                if (sink is not null)
                {
                    logging.AddProvider(new SinkLoggerProvider(sink));
                }
                if (!logsToFile)
                {
                    logging.AddSimpleConsole(o =>
                    {
                        o.SingleLine = true;
                        // The console logger judges colour by stdout; the logs go to stderr, which may be a file.
                        o.ColorBehavior = console.ErrorIsTerminal ? LoggerColorBehavior.Default : LoggerColorBehavior.Disabled;
                    });
                    logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                }
            },
        });
        var log = server.Log;
        var names = server.CourierOptions.Topics;
        var group = server.DispatcherOptions.GroupId;
        var types = server.DispatcherOptions.AllJobTypes();
        var executors = ExecutorDescription.Describe(server.DispatcherOptions, types);
        var start = await OffsetSnapshot.ReadAsync(log, names, types, group, shutdown);

        try
        {
            await server.StartAsync(shutdown);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new CommandFailedException(
                $"cannot serve /metrics on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}: {e.Message} (pass --metrics-port 0 to pick a free port)", e);
        }
        var startedAt = time.GetTimestamp();
        var metricsUrl = server.MetricsUrl?.ToString();
        if (ConsoleAddress.Line(server) is { } consoleLine)
        {
            await console.Error.WriteLineAsync(consoleLine);
        }
        if (!live)
        {
            await progressOut.WriteLineAsync(
                $"courier up: engine {server.Engine.Describe()}, state store {server.State.Describe()}, data {settings.Data.Root}, metrics {metricsUrl}, job types {string.Join(", ", types)}, executor {executors}");
        }

        var workload = demoJobs > 0 ? DemoWorkload.Create(demoJobs, paramsOptions: server.CourierOptions.ParamsSerializerOptions) : null;
        long enqueued = 0;
        var enqueueTask = workload is null
            ? Task.CompletedTask
            : workload.EnqueueAsync(server.Client, 500, new InlineProgress<int>(n => Interlocked.Exchange(ref enqueued, n)), shutdown);

        IProgressView view = live
            ? new LiveProgressView(console.Ansi(progressToError))
            : new PlainProgressView(progressOut, time, TimeSpan.FromSeconds(2));
        var rates = new RateTracker(time, TimeSpan.FromSeconds(2));
        var outcome = RunOutcome.Interrupted;
        await view.RunAsync(async update =>
        {
            var idleChecks = 0;
            var recurringStopped = server.Dispatcher.GetRecurring().Count == 0;
            while (true)
            {
                var snapshot = await SnapshotAsync(enqueueTask.IsCompleted ? "running" : "enqueuing the demo workload");
                if (shutdown.IsCancellationRequested)
                {
                    update(snapshot with { Phase = "stopping (Ctrl+C)…" });
                    outcome = RunOutcome.Interrupted;
                    return;
                }
                if (enqueueTask.IsFaulted)
                {
                    update(snapshot with { Phase = "enqueue failed; stopping…" });
                    outcome = RunOutcome.EnqueueFailed;
                    return;
                }
                // Ask the dispatcher only when the snapshot already looks idle: IsIdleAsync reads every partition.
                var looksIdle = enqueueTask.IsCompleted && snapshot.Types.All(t => t.Stats.InFlight == 0 && t.Backlog == 0);
                idleChecks = looksIdle && await server.Dispatcher.IsIdleAsync(CancellationToken.None) ? idleChecks + 1 : 0;
                if (idleChecks >= IdleChecksNeeded && exitWhenIdle && !recurringStopped)
                {
                    // A tick between the last look and the stop would add a job nobody runs: stop the schedules, then
                    // wait until idle again (a job a tick enqueued just before ends first).
                    await server.Dispatcher.StopRecurringAsync();
                    recurringStopped = true;
                    idleChecks = 0;
                }
                if (idleChecks >= IdleChecksNeeded)
                {
                    if (exitWhenIdle)
                    {
                        update(snapshot with { Phase = "idle: every job has ended; stopping…" });
                        outcome = RunOutcome.Idle;
                        return;
                    }
                    snapshot = snapshot with { Phase = "idle: every job has ended (Ctrl+C to stop)" };
                }
                update(snapshot);
                try
                {
                    await Task.Delay(Refresh, time, shutdown);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: the next turn of the loop shows "stopping" and leaves.
                }
            }
        });

        // Stop without the shutdown token: the stop itself is the graceful part (the dispatcher drains within its
        // bound). A second Ctrl+C ends the process at once.
        if (!json || !live)
        {
            await progressOut.WriteLineAsync("Stopping: draining in-flight jobs and committing offsets…");
        }
        await server.StopAsync(CancellationToken.None);
        string? error = null;
        try
        {
            await enqueueTask;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Interrupted while enqueuing: the summary counts what was enqueued.
        }
#pragma warning disable CA1031 // An enqueue failure is reported in the summary and the exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = $"enqueuing the demo workload failed: {e.Message}";
        }

        var end = await OffsetSnapshot.ReadAsync(log, names, types, group, CancellationToken.None);
        // Stopped by Ctrl+C after the work was done is as good as idle for the checks: nothing left in the log.
        var drained = types.All(t => end.JobBacklog(t) == 0 && end.RetryBacklog(t) == 0);
        var summary = new RunSummary
        {
            Outcome = error is not null ? RunOutcome.EnqueueFailed : outcome,
            Drained = drained,
            Error = error,
            Elapsed = time.GetElapsedTime(startedAt),
            DataDirectory = settings.Data.Root,
            Engine = server.Engine,
            StateStore = server.State,
            MetricsUrl = metricsUrl,
            GroupId = group,
            Executors = executors,
            Types = Summarize(server.Dispatcher.GetStats(), server.Dispatcher.GetRecurring(), types, start, end, workload, Interlocked.Read(ref enqueued)),
            Workload = workload,
            HasStateStore = server.Dispatcher.StateStore is not null,
            DemoEnqueued = Interlocked.Read(ref enqueued),
            Inbox = server.Services.GetService<DemoInbox>() is { } inbox
                ? (inbox.Path, await inbox.CountAsync(CancellationToken.None), await inbox.CountDistinctJobsAsync(CancellationToken.None))
                : null,
            Warnings = sink?.Warnings ?? 0,
            LogFile = sink?.FilePath,
            Alerts = server.Services.GetRequiredService<AlertWatcher>().Alerts,
            Canaries = server.Dispatcher.GetCanaries(),
        };
        if (json)
        {
            JsonOutput.Write(console.Out, summary.ToJson());
        }
        else
        {
            summary.Print(console);
        }
        return summary.Outcome switch
        {
            RunOutcome.EnqueueFailed => ExitCodes.Failure,
            _ when !summary.Reconciled => ExitCodes.Failure,
            _ => ExitCodes.Ok,
        };

        async Task<ProgressSnapshot> SnapshotAsync(string phase)
        {
            var stats = server.Dispatcher.GetStats().ToDictionary(s => s.Type, StringComparer.Ordinal);
            // Read through the dispatcher: this also feeds its courier.backlog gauge on /metrics.
            var backlog = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (topic, records) in await server.Dispatcher.ReadBacklogAsync(CancellationToken.None))
            {
                if (LogStatsReader.Classify(topic, names).JobType is { } type)
                {
                    backlog[type] = backlog.GetValueOrDefault(type) + records;
                }
            }
            var rate = rates.Sample(types.ToDictionary(t => t, t => stats.TryGetValue(t, out var s) ? s.Ended : 0, StringComparer.Ordinal));
            return new ProgressSnapshot
            {
                Elapsed = time.GetElapsedTime(startedAt),
                Phase = phase,
                DataDirectory = settings.Data.Root,
                Engine = server.Engine.Name,
                StateStore = server.State.Name,
                MetricsUrl = metricsUrl,
                Executors = executors,
                Enqueued = Interlocked.Read(ref enqueued),
                EnqueueTarget = workload?.Requests.Count ?? 0,
                Types = types.Select(t =>
                {
                    var s = stats.GetValueOrDefault(t) ?? new JobTypeStats { Type = t };
                    return new TypeProgress(s, rate.GetValueOrDefault(t), backlog.GetValueOrDefault(t));
                }).ToList(),
                RecentLogs = sink?.Recent() ?? [],
                Warnings = sink?.Warnings ?? 0,
                LogFile = sink?.FilePath,
                Alerts = [.. server.Services.GetRequiredService<AlertWatcher>().Alerts.Where(a => a.State == AlertState.Firing)],
                Probes = server.Dispatcher.GetProbes(),
                TakenAt = time.GetUtcNow(),
                Canaries = server.Dispatcher.GetCanaries(),
                Recurring = server.Dispatcher.GetRecurring(),
            };
        }
    }

    private static List<TypeSummary> Summarize(IReadOnlyList<JobTypeStats> stats, IReadOnlyList<Courier.Recurring.RecurringStatus> recurring,
        IReadOnlyList<string> types, OffsetSnapshot start, OffsetSnapshot end, DemoWorkload? workload, long enqueued)
    {
        var recurringByType = recurring.GroupBy(r => r.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Enqueued), StringComparer.Ordinal);
        var byType = stats.ToDictionary(s => s.Type, StringComparer.Ordinal);
        // The workload is enqueued in order, so the first `enqueued` requests are the ones in the log.
        var enqueuedByType = workload?.Requests.Take((int)enqueued).GroupBy(r => r.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal) ?? [];
        return types.Concat(byType.Keys).Distinct(StringComparer.Ordinal).Select(t =>
        {
            return new TypeSummary
            {
                Outcomes = byType.GetValueOrDefault(t) ?? new JobTypeStats { Type = t },
                Enqueued = enqueuedByType.GetValueOrDefault(t),
                Recurring = recurringByType.GetValueOrDefault(t),
                BacklogAtStart = start.JobBacklog(t),
                CarriedOver = start.RetryBacklog(t),
                Accepted = end.AppendedSince(start, t),
            };
        }).ToList();
    }
}
