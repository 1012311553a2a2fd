using System.Globalization;
using System.Text;

namespace Courier.Bench.Ledger;

/// <summary>The ledger section as text: jobs/s and CPU per job with the ledger off and on, the ratio, and entries per write.</summary>
internal static class LedgerTable
{
    public static void Render(StringBuilder text, LedgerResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        string N(double value) => value.ToString("N0", culture);
        string F(double value, string format = "N2") => value.ToString(format, culture);
        text.AppendLine();
        text.AppendLine(culture, $"The outcome ledger's cost: the dispatcher draining {r.Jobs:N0} no-op jobs with the ledger off and on");
        var table = new List<List<string>>
        {
            new() { "engine", "variant", "round", "jobs/s", "÷ off", "CPU/job (µs)", "alloc/job (B)", "entries", "ledger writes", "entries/write" },
        };
        var engines = r.Runs.Select(x => x.Engine).Distinct().ToList();
        foreach (var run in r.Runs.OrderBy(x => engines.IndexOf(x.Engine)).ThenBy(x => x.Ledger).ThenBy(x => x.Round))
        {
            var jobs = Math.Max(run.Rate.Jobs, 1);
            table.Add([run.Engine, run.Variant, $"{run.Round}", N(run.Rate.PerSecond), run.Ledger && r.Ratio(run) is > 0 and var q ? F(q) : "–",
                F(run.Rate.CpuSeconds * 1e6 / jobs, "N1"), N(run.Rate.AllocatedBytes / (double)jobs), N(run.LedgerRecords), N(run.LedgerWrites),
                run.LedgerWrites > 0 ? F(run.LedgerRecords / (double)run.LedgerWrites, "N1") : "–"]);
        }
        TablePrinter.AppendTable(text, table);
        foreach (var engine in engines)
        {
            text.AppendLine(culture, $"median on {engine}: off {N(r.MedianPerSecond(engine, false))} jobs/s, on {N(r.MedianPerSecond(engine, true))} jobs/s; "
                + $"on ÷ off (same round): jobs/s {F(r.MedianRatio(engine))}, CPU/job {F(r.MedianCpuRatio(engine))}");
        }
        foreach (var (key, value) in r.Settings)
        {
            text.AppendLine(culture, $"  {key}: {value}");
        }
        foreach (var run in r.Runs)
        {
            TablePrinter.Describe(text, $"{run.Engine} round {run.Round} {run.Variant}", run.Rate);
        }
    }
}
