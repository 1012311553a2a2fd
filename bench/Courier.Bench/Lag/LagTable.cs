using System.Globalization;
using System.Text;

namespace Courier.Bench.Lag;

/// <summary>The lag-read section as text: median (min–max) milliseconds of each way of reading.</summary>
internal static class LagTable
{
    public static void Render(StringBuilder text, LagResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(culture,
            $"Reading lag: list topics, committed offsets and the watermarks of {r.Topics} topics x {r.PartitionsPerTopic} partitions, per partition vs batched");
        var table = new List<List<string>> { new() { "engine", "broker round trip (ms)", "per partition, median ms (min-max)", "batched, median ms (min-max)", "per partition / batched" } };
        foreach (var run in r.Runs)
        {
            table.Add([run.Engine, run.RoundTripMs.ToString(culture), Span(run.LoopMs), Span(run.BatchedMs),
                (Median(run.LoopMs) / Math.Max(Median(run.BatchedMs), 0.001)).ToString("N1", culture)]);
        }
        TablePrinter.AppendTable(text, table);
    }

    private static double Median(IReadOnlyList<double> sorted) => sorted[sorted.Count / 2];

    private static string Span(IReadOnlyList<double> sorted) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(sorted):N0} ({sorted[0]:N0}-{sorted[^1]:N0})");
}
