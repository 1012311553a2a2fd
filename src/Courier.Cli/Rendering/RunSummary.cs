using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Server.Alerting;
using Courier.Server.Configuration;
using Courier.Server.Demo;
using Courier.Server.Hosting;

namespace Courier.Cli.Rendering;

/// <summary>The end-of-run report of <c>courier up</c>: per type counts that reconcile, dead letters by class, demo checks.</summary>
internal sealed class RunSummary
{
    public required RunOutcome Outcome { get; init; }

    public string? Error { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>The job log the run used.</summary>
    public required JobLogEngine Engine { get; init; }

    /// <summary>The state store the run used (null: not known, e.g. a summary built by a test).</summary>
    public StateStoreChoice? StateStore { get; init; }

    public string? MetricsUrl { get; init; }

    public required string GroupId { get; init; }

    /// <summary>Where the job types ran (<see cref="ExecutorDescription.Describe"/>).</summary>
    public string Executors { get; init; } = "in-process";

    public required IReadOnlyList<TypeSummary> Types { get; init; }

    /// <summary>The dispatcher had a state store, so the workload's repeated jobs were deduplicated or superseded.</summary>
    public bool HasStateStore { get; init; }

    public DemoWorkload? Workload { get; init; }

    public long DemoEnqueued { get; init; }

    public (string Path, long Rows, long DistinctJobs)? Inbox { get; init; }

    public long Warnings { get; init; }

    public string? LogFile { get; init; }

    /// <summary>At the end, nothing of the run's job types was left in the log (no backlog, no retries waiting).</summary>
    public bool Drained { get; init; }

    /// <summary>The built-in watcher's alerts at the end of the run (firing and recently resolved).</summary>
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>The runner pools' canaries at the end of the run.</summary>
    public IReadOnlyList<Courier.Canaries.CanaryStatus> Canaries { get; init; } = [];

    /// <summary>The run ended with all work done: idle by <c>--exit-when-idle</c>, or stopped with nothing left.</summary>
    public bool Idle => Outcome == RunOutcome.Idle || (Outcome == RunOutcome.Interrupted && Drained);

    public bool Reconciled => Types.All(t => t.Reconciled(Idle));

    /// <summary>
    /// True when the demo workload ended as designed; null when it cannot be compared (no demo, not idle, or other
    /// jobs were in the log besides this run's workload).
    /// </summary>
    public bool? MatchesExpectation
    {
        get
        {
            if (Workload is null || !Idle || DemoEnqueued != Workload.Requests.Count
                || Types.Any(t => t.Accepted != t.Enqueued + t.Recurring || t.CarriedOver != 0))
            {
                return null;
            }
            return Types.All(t =>
            {
                if (!Workload.Expected.TryGetValue(t.Type, out var e))
                {
                    return t.Accepted == 0;
                }
                // Without a state store nothing is deduplicated or superseded: those jobs run and succeed. The recurring
                // job's ticks add successes of their own.
                var ranAsExpected = HasStateStore
                    ? t.Outcomes.Succeeded == e.Succeeded + t.Recurring && t.Outcomes.Deduplicated == e.Deduplicated && t.Outcomes.Superseded == e.Superseded
                    : t.Outcomes.Succeeded == e.Succeeded + t.Recurring + e.Deduplicated + e.Superseded;
                return ranAsExpected
                    && Enum.GetValues<FailureClass>().All(c => t.Outcomes.DeadLetteredByClass.GetValueOrDefault(c) == e.DeadLetteredByClass.GetValueOrDefault(c));
            });
        }
    }

    public JsonObject ToJson()
    {
        var types = new JsonObject();
        foreach (var t in Types)
        {
            types[t.Type] = TypeJson(t, Idle);
        }
        var total = new TypeSummary
        {
            Outcomes = JobTypeStats.Total("total", Types.Select(t => t.Outcomes)),
            Enqueued = Types.Sum(t => t.Enqueued),
            Recurring = Types.Sum(t => t.Recurring),
            BacklogAtStart = Types.Sum(t => t.BacklogAtStart),
            CarriedOver = Types.Sum(t => t.CarriedOver),
            Accepted = Types.Sum(t => t.Accepted),
        };
        var json = new JsonObject
        {
            ["reconciled"] = Reconciled,
            ["outcome"] = Outcome switch { RunOutcome.Idle => "idle", RunOutcome.EnqueueFailed => "enqueue_failed", _ => "interrupted" },
            ["idle"] = Idle,
            ["error"] = Error,
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
            ["engine"] = Engine.Name,
            // The SQLite file, or the Kafka bootstrap servers (of a cluster that ended with the run when dev_cluster).
            ["job_log"] = Engine.Location,
            ["dev_cluster"] = Engine.IsDevCluster,
            ["state_store"] = StateStore is null ? null : new JsonObject { ["name"] = StateStore.Name, ["location"] = StateStore.Location },
            ["data"] = DataDirectory,
            ["metrics_url"] = MetricsUrl,
            ["group"] = GroupId,
            ["executors"] = Executors,
            ["types"] = types,
            ["totals"] = TypeJson(total, Idle),
            ["dead_letters_by_class"] = JsonOutput.Counts(SumByClass(), c => c.ToWireName()),
            ["warnings_logged"] = Warnings,
            ["log_file"] = LogFile,
            ["alerts"] = JsonSerializer.SerializeToNode(Alerts),
            ["canaries"] = JsonSerializer.SerializeToNode(Canaries, Courier.Server.Canaries.CanaryList.Json),
        };
        if (Workload is not null)
        {
            var expected = new JsonObject();
            foreach (var (type, e) in Workload.Expected.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                expected[type] = new JsonObject
                {
                    ["jobs"] = e.Jobs,
                    ["succeeded"] = e.Succeeded,
                    ["retried_then_succeeded"] = e.RetriedThenSucceeded,
                    ["deduplicated"] = e.Deduplicated,
                    ["superseded"] = e.Superseded,
                    ["dead_lettered"] = e.DeadLettered,
                    ["dead_lettered_by_class"] = JsonOutput.Counts(e.DeadLetteredByClass.Select(kv => KeyValuePair.Create(kv.Key, (long)kv.Value)), c => c.ToWireName()),
                };
            }
            json["demo"] = new JsonObject
            {
                ["jobs"] = Workload.Requests.Count,
                ["enqueued"] = DemoEnqueued,
                ["expected"] = expected,
                ["matches_expectation"] = MatchesExpectation,
                ["inbox"] = Inbox is { } inbox
                    ? new JsonObject { ["path"] = inbox.Path, ["rows"] = inbox.Rows, ["distinct_jobs"] = inbox.DistinctJobs }
                    : null,
            };
        }
        return json;
    }

    public void Print(CliConsole console)
    {
        var output = console.Out;
        var state = Outcome switch
        {
            RunOutcome.Idle => "all work done",
            RunOutcome.Interrupted when Drained => "stopped with all work done",
            RunOutcome.EnqueueFailed => "enqueue failed",
            _ => "stopped",
        };
        output.WriteLine();
        output.WriteLine($"Summary: {state} after {Format.Seconds(Elapsed)}; counts {(Reconciled ? "reconcile" : "DO NOT reconcile")}.");
        output.WriteLine($"Engine: {Engine.Describe()}");
        if (StateStore is not null)
        {
            output.WriteLine($"State store: {StateStore.Describe()}");
        }
        output.WriteLine($"Executor: {Executors}");
        var rows = Types.Select(t => (IReadOnlyList<string>)
        [
            t.Type, N(t.Accepted + t.CarriedOver), N(t.Outcomes.Succeeded), N(t.Outcomes.DeadLettered), N(t.Outcomes.Ignored), N(Format.NotRunCount(t.Outcomes)),
            N(t.Pending), N(t.Outcomes.Retried),
            t.Reconciled(Idle) ? "yes" : "NO",
        ]).ToList();
        TableOutput.Write(console, null, ["type", "accepted", "succeeded", "dead-lettered", "ignored", "not run", "pending", "retries", "reconciled"], rows);
        output.WriteLine("accepted = succeeded + dead-lettered + ignored + deduplicated + superseded + abandoned + cancelled + pending"
            + (Idle ? " (pending must be 0 when idle)" : ""));
        foreach (var t in Types.Where(t => Format.NotRunCount(t.Outcomes) > 0))
        {
            output.WriteLine($"Not run: {t.Type} {Format.NotRun(t.Outcomes)}");
        }
        var byClass = SumByClass();
        if (byClass.Values.Sum() > 0)
        {
            output.WriteLine($"Dead letters: {Format.DeadLetters(byClass.Values.Sum(), byClass)}. " + (Engine switch
            {
                { IsDevCluster: true } => "They ended with the development cluster; to keep them, run on `courier kafka dev` with --kafka BOOTSTRAP.",
                { Kind: EngineKind.Kafka } => $"Inspect: courier dlq list --kafka {Engine.Location}",
                _ => $"Inspect: courier dlq list --data {Quote(DataDirectory)}",
            }));
        }
        if (Workload is not null)
        {
            var match = MatchesExpectation switch
            {
                true => "matches the workload's expected outcome",
                false => "DIFFERS from the workload's expected outcome",
                null => "not compared (not idle, or the log held other jobs)",
            };
            output.WriteLine($"Demo: {N(DemoEnqueued)} of {N(Workload.Requests.Count)} jobs enqueued; outcome {match}.");
            if (Inbox is { } inbox)
            {
                output.WriteLine($"Inbox: {N(inbox.Rows)} deliveries from {N(inbox.DistinctJobs)} jobs in {inbox.Path}");
            }
        }
        foreach (var line in PauseLines.Of(Types.Select(t => t.Outcomes)))
        {
            output.WriteLine($"Paused: {line}");
        }
        foreach (var line in AlertLines.Of(Alerts.Where(a => a.State == AlertState.Firing)))
        {
            output.WriteLine($"Alert firing: {line}");
        }
        foreach (var line in CanaryLines.Of(Canaries))
        {
            output.WriteLine($"Canary: {line}");
        }
        if (Warnings > 0 && LogFile is not null)
        {
            output.WriteLine($"{N(Warnings)} warnings were logged to {LogFile}");
        }
        if (Error is not null)
        {
            output.WriteLine($"Error: {Error}");
        }
        output.Flush();
    }

    private IReadOnlyDictionary<FailureClass, long> SumByClass() => JobTypeStats.Total("total", Types.Select(t => t.Outcomes)).DeadLetteredByClass;

    private static JsonObject TypeJson(TypeSummary t, bool idle) => new()
    {
        ["executor"] = t.Outcomes.Executor,
        ["enqueued"] = t.Enqueued,
        ["recurring"] = t.Recurring,
        ["backlog_at_start"] = t.BacklogAtStart,
        ["carried_over"] = t.CarriedOver,
        // accepted = succeeded + dead_lettered + ignored + deduplicated + superseded + abandoned + cancelled + pending;
        // retries carried over from an earlier run count in.
        ["accepted"] = t.Accepted + t.CarriedOver,
        ["accepted_from_job_topic"] = t.Accepted,
        ["started"] = t.Outcomes.Started,
        ["succeeded"] = t.Outcomes.Succeeded,
        ["dead_lettered"] = t.Outcomes.DeadLettered,
        ["dead_lettered_by_class"] = JsonOutput.Counts(t.Outcomes.DeadLetteredByClass, c => c.ToWireName()),
        ["ignored"] = t.Outcomes.Ignored,
        ["deduplicated"] = t.Outcomes.Deduplicated,
        ["superseded"] = t.Outcomes.Superseded,
        ["abandoned"] = t.Outcomes.Abandoned,
        ["cancelled"] = t.Outcomes.Cancelled,
        ["pending"] = t.Pending,
        ["retried"] = t.Outcomes.Retried,
        ["backpressured"] = t.Outcomes.Backpressured,
        ["executions"] = t.Outcomes.Executions,
        ["reconciled"] = t.Reconciled(idle),
        ["paused"] = t.Outcomes.Paused,
        ["paused_since"] = t.Outcomes.PausedSince,
        ["pause_reason"] = t.Outcomes.PauseReason,
        ["breaker"] = t.Outcomes.BreakerState,
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
