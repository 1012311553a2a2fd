using System.Globalization;
using System.Text;

namespace Courier.Bench.Detect;

/// <summary>The detect section as text: one table of paths by engine, the rounds, and the settings measured with.</summary>
internal static class DetectTable
{
    public static void Render(StringBuilder text, DetectResult d)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(culture, $"Time to detect: seconds from the first failing execution of {DetectBench.JobType} ({d.Rate} jobs/s) to {DetectBench.FailingAlert} firing");
        var table = new List<List<string>> { new() { "path", "engine", "rounds", "median (s)", "max (s)", "target (s)", "met" } };
        foreach (var s in d.Summaries)
        {
            table.Add([s.Path, s.Engine, s.Missed == 0 ? $"{s.Rounds}" : $"{s.Rounds} ({s.Missed} not seen)",
                F(s.MedianSeconds), F(s.MaxSeconds), F(s.TargetSeconds), s.Met ? "yes" : "NO"]);
        }
        TablePrinter.AppendTable(text, table);
        text.AppendLine("met: every round within the target (max, not only the median)");
        foreach (var r in d.Rounds)
        {
            var seconds = string.Join(", ", r.Seconds.Select(s => $"{s.Key} {DetectBench.Seconds(s.Value)}"));
            text.AppendLine(culture,
                $"  {r.Engine} round {r.Round}: first failure {r.FirstFailureAt:HH:mm:ss} UTC after {r.WarmupSeconds:0} s warm-up ({r.Succeeded:N0} succeeded), {r.Failed:N0} failed; {seconds}");
        }
        foreach (var (key, value) in d.Settings)
        {
            text.AppendLine(culture, $"  {key}: {value}");
        }
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
