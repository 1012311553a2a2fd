using System.Globalization;
using System.Text;

namespace Courier.Bench.KafkaLatency;

/// <summary>The Kafka start-latency section as text: p50/p99/max per tuning and rate, Courier beside the bare pair, and the p99 ratio.</summary>
internal static class KafkaLatencyTable
{
    public static void Render(StringBuilder text, KafkaLatencyResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine("Kafka start latency: enqueue to handler start at a steady rate, Courier's dispatcher vs a bare producer → consumer pair (same settings, same run)");
        var table = new List<List<string>>
        {
            new() { "tuning", "jobs/s", "Courier p50 / p99 / max (ms)", "job log p50 / p99 / max", "bare p50 / p99 / max", "p99 Courier/bare", "p50 Courier/bare", "p99 job log/bare", "CPU µs/job C / JL / bare", "started C / JL / bare" },
        };
        foreach (var row in r.Rows)
        {
            table.Add([row.Case, row.Rate.ToString("N0", culture), Figures(row.Courier), Figures(row.JobLog), Figures(row.Bare),
                row.P99Ratio.ToString("N2", culture), row.P50Ratio.ToString("N2", culture),
                (row.JobLog.P99Ms / Math.Max(row.Bare.P99Ms, 0.001)).ToString("N2", culture),
                string.Create(culture, $"{row.CourierCpuMicros:N0} / {row.JobLogCpuMicros:N0} / {row.BareCpuMicros:N0}"),
                string.Create(culture, $"{Share(row.Courier)} / {Share(row.JobLog)} / {Share(row.Bare)}")]);
        }
        TablePrinter.AppendTable(text, table);
        text.AppendLine();
        foreach (var tuning in r.Rows.DistinctBy(row => row.Case))
        {
            text.AppendLine(culture, $"  {tuning.Case}: {tuning.Settings}");
        }
        foreach (var (key, value) in r.Settings)
        {
            text.AppendLine(culture, $"  {key}: {value}");
        }
        text.AppendLine(culture, $"  sent/s (lowest of any side): {r.Rows.Min(row => Math.Min(row.Courier.SentRate, Math.Min(row.JobLog.SentRate, row.Bare.SentRate))):N0} against the target rate; largest send lag {r.Rows.Max(row => Math.Max(row.Courier.MaxSendLagMs, row.Bare.MaxSendLagMs)):N1} ms");
        text.AppendLine("  CPU µs/job: the whole process's CPU time (mock brokers and idle fetching included) from the paced send's start to the last job's start, per job.");
        text.AppendLine("  Targets (issue 16): Courier's p99 within 1.5x of the bare pair's at the same settings; low-latency p99 <= 15 ms on the mock.");
    }

    private static string Figures(LatencyResult l) =>
        string.Create(CultureInfo.InvariantCulture, $"{l.P50Ms:N1} / {l.P99Ms:N1} / {l.MaxMs:N1}");

    private static string Share(LatencyResult l) =>
        string.Create(CultureInfo.InvariantCulture, $"{100.0 * l.Started / Math.Max(1, l.Sent):N1}%");
}
