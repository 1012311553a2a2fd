using System.Globalization;
using System.Text;

namespace Courier.Bench.Dedup;

/// <summary>The dedup section as text: jobs/s per variant and round, the ratio to no store, CPU, allocation and store calls per job.</summary>
internal static class DedupTable
{
    public static void Render(StringBuilder text, DedupResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        string N(double value) => value.ToString("N0", culture);
        string F(double value, string format = "N2") => value.ToString(format, culture);
        string PerJob(RateResult rate, double total, string format) => rate.Jobs > 0 ? F(total / rate.Jobs, format) : "–";
        text.AppendLine();
        text.AppendLine(culture,
            $"Deduplication's cost: the dispatcher draining {r.Jobs:N0} no-op jobs with sha1, {r.Duplicates:N0} of them duplicates");
        var baseline = DedupVariant.All[0].Name;
        var table = new List<List<string>>
        {
            new() { "engine", "variant", "round", "jobs/s", $"÷ {baseline}", "CPU/job (µs)", "redis CPU/job (µs)", "alloc/job (B)", "store calls/job", "calls by operation", "executed", "deduplicated", "retried" },
        };
        var engines = r.Runs.Select(x => x.Engine).Distinct().ToList();
        foreach (var run in r.Runs.OrderBy(x => engines.IndexOf(x.Engine)).ThenBy(x => Index(x.Variant)).ThenBy(x => x.Round))
        {
            var ratio = r.Ratio(run) is > 0 and var q ? F(q) : "–";
            var byOperation = string.Join(" ", run.StoreOperations.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key} {F(run.Rate.Jobs > 0 ? kv.Value / (double)run.Rate.Jobs : 0)}"));
            table.Add([run.Engine, run.Variant, $"{run.Round}", N(run.Rate.PerSecond), ratio, PerJob(run.Rate, run.Rate.CpuSeconds * 1e6, "N1"),
                run.RedisCpuSeconds is { } redisCpu ? PerJob(run.Rate, redisCpu * 1e6, "N1") : "–", PerJob(run.Rate, run.Rate.AllocatedBytes, "N0"), F(run.OperationsPerJob), byOperation is "" ? "–" : byOperation,
                N(run.Executions), N(run.Deduplicated), N(run.Retried)]);
        }
        TablePrinter.AppendTable(text, table);
        foreach (var engine in engines)
        {
            text.AppendLine($"median jobs/s on {engine} (÷ {baseline}, same round): " + string.Join(", ",
                DedupVariant.All.Select(v => $"{v.Name} {N(r.MedianPerSecond(engine, v.Name))} ({F(r.MedianRatio(engine, v.Name))})")));
        }
        foreach (var (store, latency) in r.StoreLatency)
        {
            text.AppendLine(culture, $"  {store} store alone: {latency}");
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

    private static int Index(string variant) => DedupVariant.All.Select(v => v.Name).ToList().IndexOf(variant);
}
