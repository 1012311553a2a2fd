using System.CommandLine;
using System.Globalization;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Ledger;
using Courier.Server.Admin;
using Courier.Server.Audit;
using Courier.Server.Hosting;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier audit</c>: joins the job topics with the outcome ledger, retry, partitioned and error topics and says,
/// per job type, where every accepted job is (<see cref="LedgerAudit"/>). Exit 0 nothing unaccounted, 4 something
/// unaccounted, 5 no ledger. Safe to run while a dispatcher runs.
/// </summary>
internal sealed class AuditCommand : Command
{
    private const int Shown = 20;

    private readonly Option<string?> _since = new("--since")
    {
        Description = "Audit job records appended in this window (30s, 15m, 1h, 2d) or since this time (ISO 8601). Default: the whole log.",
    };

    private readonly Option<string?> _until = new("--until")
    {
        Description = "Audit job records appended before this time (ISO 8601). Default: up to now.",
    };

    private readonly Option<string[]> _type = new("--type")
    {
        Description = "Audit only this job type (repeatable). Default: every job topic.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object instead of tables." };

    private readonly Option<int> _list = new("--list")
    {
        Description = $"List at most this many lost jobs and as many duplicates in --json (the counts are always complete). Default: {AuditReport.ListLimit}.",
        DefaultValueFactory = _ => AuditReport.ListLimit,
    };

    public AuditCommand(CliContext context)
        : base("audit", "Proves from the log that no job was lost: per job type, accepted records that ended (by outcome, from the "
            + "outcome ledger courier.outcomes and the dead letters), are in retry, are pending, or are unaccounted; and jobs "
            + "that succeeded more than once. Safe to run while a dispatcher runs. Exit 0 nothing unaccounted, 4 something "
            + "unaccounted, 5 no outcome ledger.")
    {
        Options.Add(_since);
        Options.Add(_until);
        Options.Add(_type);
        Options.Add(_json);
        Options.Add(_list);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var since = parseResult.GetValue(_since) is { } s ? ContractVerifyCommand.ParseSince(s, now) : (DateTimeOffset?)null;
        var until = parseResult.GetValue(_until) is { } u ? ContractVerifyCommand.ParseSince(u, now, "--until") : (DateTimeOffset?)null;
        if (since is { } from && until is { } to && to <= from)
        {
            throw new UsageException("--until must be after --since.");
        }
        var types = parseResult.GetValue(_type) is { Length: > 0 } t ? t : null;
        var list = parseResult.GetValue(_list);
        if (list < 0)
        {
            throw new UsageException("--list must be 0 or more.");
        }
        var settings = CliSettings.Resolve(parseResult, context);
        using var engine = settings.StartEngine(context, allowDevCluster: false);
        await using var log = engine.Engine.Open(mustExist: true, settings.CourierOptions.DefaultPartitions);
        var report = await LedgerAudit.RunAsync(log, settings.CourierOptions, settings.DispatcherOptions.GroupId,
            new AuditRange(since, until, types), list, context.Shutdown);
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, AuditReportJson.ToJson(report));
        }
        else if (report.Ledger)
        {
            Print(report, list, engine.Engine, settings.DispatcherOptions.GroupId, context.Console);
        }
        if (!report.Ledger)
        {
            await context.Console.Error.WriteLineAsync(
                $"error: no outcome ledger ({report.LedgerTopic}): turn on dispatcher.ledger, then audit what ran since (--since).");
            return ExitCodes.CheckNoData;
        }
        return report.Total.Unaccounted > 0 ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }

    private static void Print(AuditReport report, int list, JobLogEngine engine, string groupId, CliConsole console)
    {
        var range = report.Range;
        console.Out.WriteLine($"Audit of {engine.Describe()} against {report.LedgerTopic} — dispatcher group {groupId}, records "
            + $"{(range.Since is { } s ? "from " + Time(s) : "from the beginning")} {(range.Until is { } u ? "to " + Time(u) : "to now")}");
        if (report.Types.Count == 0)
        {
            console.Out.WriteLine("No job topics to audit.");
            return;
        }
        string[] headers = ["type", "accepted", .. LedgerOutcomes.All, "matched by id", "in retry", "pending", "unaccounted", "duplicates"];
        var rows = report.Types.Append(report.Total).Select(c => (IReadOnlyList<string>)
            [c.Type ?? "total", N(c.Accepted), .. LedgerOutcomes.All.Select(o => N(c.Terminal[o])), N(c.MatchedByJobId), N(c.InRetry),
             N(c.Pending), N(c.Unaccounted), N(c.Duplicates)]).ToList();
        TableOutput.Write(console, null, headers, rows);
        if (report.Total.DeadLetteredByClass.Count > 0)
        {
            console.Out.WriteLine("Dead-lettered by class: " + string.Join(", ", report.Total.DeadLetteredByClass.Select(kv => $"{kv.Key} {N(kv.Value)}")));
        }
        if (report.UndecodableEntries > 0)
        {
            console.Out.WriteLine($"{N(report.UndecodableEntries)} ledger records are not entries (left out): "
                + string.Join("; ", report.UndecodableSamples.Take(3)));
        }
        if (report.Unaccounted.Count > 0)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"UNACCOUNTED: {N(report.Total.Unaccounted)} jobs read and committed by the dispatcher left no outcome, retry or dead letter"
                + (report.Total.Unaccounted > Shown ? $" (first {Shown}; --json lists {list})" : "") + ":");
            TableOutput.Write(console, null, ["type", "position", "job id"],
                [.. report.Unaccounted.Take(Shown).Select(x => (IReadOnlyList<string>)[x.Type, LogPosition.Format(x.Position), x.JobId ?? "-"])]);
        }
        if (report.Duplicates.Count > 0)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"Succeeded more than once: {N(report.Total.Duplicates)} jobs" + (report.Duplicates.Count > Shown ? $" (first {Shown})" : "") + ":");
            TableOutput.Write(console, null, ["type", "job id", "origin", "dispatcher", "at"],
                [.. report.Duplicates.Take(Shown).SelectMany(d => d.Successes.Select(x => (IReadOnlyList<string>)
                    [d.Type, d.JobId, LogPosition.Format(x.Origin), x.Dispatcher ?? "-", Time(x.At)]))]);
        }
        console.Out.WriteLine(report.Total.Unaccounted == 0
            ? $"Every accepted job is accounted for ({N(report.Total.Accepted)})."
            : $"{N(report.Total.Unaccounted)} of {N(report.Total.Accepted)} accepted jobs are unaccounted for.");
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
