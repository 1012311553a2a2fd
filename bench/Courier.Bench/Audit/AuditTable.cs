using System.Globalization;
using System.Text;

namespace Courier.Bench.Audit;

/// <summary>The audit section as text.</summary>
internal static class AuditTable
{
    public static void Render(StringBuilder text, AuditResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(culture, $"Auditing a million jobs: courier audit over {r.Jobs:N0} job records and their ledger entries (embedded log)");
        var seconds = r.AuditSeconds;
        TablePrinter.AppendTable(text,
        [
            ["metric", "value"],
            ["write, records/s", r.WritePerSecond.ToString("N0", culture)],
            ["audit, median s (min-max)", string.Create(culture, $"{seconds[seconds.Count / 2]:N1} ({seconds[0]:N1}-{seconds[^1]:N1})")],
            ["audit, jobs/s", (r.Jobs / seconds[seconds.Count / 2]).ToString("N0", culture)],
            ["peak managed heap above baseline (garbage included), MiB", r.PeakHeapMiB.ToString("N0", culture)],
            ["peak live heap after a GC above baseline, MiB", r.PeakLiveMiB.ToString("N0", culture)],
            ["peak working set, MiB", r.PeakWorkingSetMiB.ToString("N0", culture)],
            ["allocated per audit, MiB", r.AllocatedMiB.ToString("N0", culture)],
            ["buckets as written", r.Verified ? "yes" : "NO"],
        ]);
    }
}
