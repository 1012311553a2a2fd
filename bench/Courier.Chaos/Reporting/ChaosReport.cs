using System.Globalization;
using System.Text;
using Courier.Chaos.Faults;
using Courier.Chaos.Fleet;
using Courier.Chaos.Verdict;
using Courier.Chaos.Workload;

namespace Courier.Chaos.Reporting;

/// <summary>The soak's printed report: the header (command, seed, schedule) at the start, the summary at the end.</summary>
internal sealed class ChaosReport(ChaosOptions options, ChaosFiles files, FaultSchedule schedule, string? tmpfsError)
{
    public string Header()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Courier.Chaos --engine {options.Engine.ToString().ToLowerInvariant()} --jobs {options.Jobs} --faults {options.Faults} --seed {options.Seed} --dispatchers {options.Dispatchers} --runners {options.Runners} --rate {options.Rate}");
        text.AppendLine(CultureInfo.InvariantCulture, $"work directory {files.Root} (process logs in {files.Logs})");
        text.AppendLine(tmpfsError is null
            ? "data directory on a tmpfs of its own (the disk-full fault fills it)"
            : $"disk-full fault skipped: {tmpfsError}; the data directory is on the ordinary disk");
        text.AppendLine(CultureInfo.InvariantCulture, $"fault schedule (seed {options.Seed}, over the {options.WorkloadSpan.TotalSeconds:0} s the workload takes):");
        text.Append(schedule.Render());
        return text.ToString();
    }

    public string Summary(ChaosWorkload workload, IReadOnlyList<string> events, IReadOnlyDictionary<string, int> faultsByKind,
        DispatcherFleet dispatchers, RunnerFleet runners, AuditResult? audit, ChaosVerdict verdict, TimeSpan enqueuedIn, TimeSpan settledIn)
    {
        var text = new StringBuilder();
        text.AppendLine("faults as they ran:");
        foreach (var line in events)
        {
            text.AppendLine("  " + line);
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"seed {options.Seed}; jobs {workload.Enqueued} ({string.Join(", ", workload.Counts.Select(c => $"{c.Key}: {c.Value}"))}); batches refused by the log and enqueued again: {workload.Refusals}");
        text.AppendLine("faults by kind: " + string.Join(", ", faultsByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
        text.Append(CultureInfo.InvariantCulture, $"restarts: dispatchers {dispatchers.Members.Sum(m => m.Restarts)} (killed pids {string.Join(", ", dispatchers.Members.SelectMany(m => m.Killed))}), ");
        text.AppendLine(CultureInfo.InvariantCulture, $"runners {runners.Members.Sum(m => m.Restarts)}; 503s from storms {runners.Proxies.Sum(p => p.Stormed)}, requests held past the timeout {runners.Proxies.Sum(p => p.Held)}");
        foreach (var refused in dispatchers.Members.Concat(runners.Members).SelectMany(m => m.RefusedStarts))
        {
            text.AppendLine("refused start (restarted): " + refused.TrimEnd());
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"duration: enqueued in {enqueuedIn.TotalSeconds:0.0} s, settled after {settledIn.TotalSeconds:0.0} s; {workload.Enqueued / settledIn.TotalSeconds:0} jobs/s end to end");
        if (audit is not null)
        {
            text.AppendLine("audit totals (courier audit --json):");
            text.AppendLine("  " + Row("total", audit.Total));
            foreach (var (type, row) in audit.Types.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                text.AppendLine("  " + Row(type, row));
            }
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"duplicates explained by a kill -9: {verdict.ExplainedDuplicates} written first by a killed dispatcher, {verdict.ForkedDuplicates} retry chains forked by a kill (first success within {ChaosVerdict.ForkWindow.TotalSeconds:0} s after one)");
        text.AppendLine(verdict.Passed ? "VERDICT: PASS" : "VERDICT: FAIL");
        foreach (var failure in verdict.Failures)
        {
            text.AppendLine("  " + failure);
        }
        return text.ToString();
    }

    private static string Row(string name, AuditTotals row) => FormattableString.Invariant(
        $"{name}: accepted {row.Accepted}; ") + string.Join(", ", row.Terminal.Where(t => t.Value > 0).Select(t => $"{t.Key} {t.Value}"))
        + $"; dead letters by class {{{string.Join(", ", row.DeadLetteredByClass.Select(c => $"{c.Key} {c.Value}"))}}}"
        + FormattableString.Invariant($"; in retry {row.InRetry}, pending {row.Pending}, unaccounted {row.Unaccounted}, duplicates {row.Duplicates}, matched by job id {row.MatchedByJobId}");
}
