using System.Globalization;
using System.Text;

namespace Courier.Bench.Dlq;

/// <summary>The dead-letter section as text.</summary>
internal static class DlqTable
{
    public static void Render(StringBuilder text, DlqResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(culture, $"Dead-letter browsing at scale: dead letters over {r.Types} job types, the index built from the error topic, then the console's queries");
        var table = new List<List<string>> { new() { "engine", "dead letters", "partitions", "write/s", "index catch-up/s", "index size (MB)" } };
        foreach (var run in r.Runs)
        {
            table.Add([run.Engine, run.Records.ToString("N0", culture), run.Partitions.ToString(culture), run.WritePerSecond.ToString("N0", culture),
                run.IndexPerSecond.ToString("N0", culture), (run.IndexBytes / 1e6).ToString("N0", culture)]);
        }
        TablePrinter.AppendTable(text, table);
        var names = r.Runs.SelectMany(x => x.MedianMs.Keys).Distinct().ToList();
        var queries = new List<List<string>> { new List<string> { "query (median ms)" }.Concat(r.Runs.Select(x => x.Engine)).Append("what").ToList() };
        foreach (var name in names)
        {
            queries.Add(new List<string> { name }
                .Concat(r.Runs.Select(x => x.MedianMs.TryGetValue(name, out var ms) ? ms.ToString("N1", culture) : "–"))
                .Append(r.Runs.Select(x => x.Descriptions.GetValueOrDefault(name)).FirstOrDefault(d => d is not null) ?? "")
                .ToList());
        }
        TablePrinter.AppendTable(text, queries);
    }
}
