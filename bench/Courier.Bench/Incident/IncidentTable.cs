using System.Globalization;
using System.Text;

namespace Courier.Bench.Incident;

/// <summary>The incident section as text: detect and stop per guard and engine beside 2019's, the rounds, the settings.</summary>
internal static class IncidentTable
{
    public static void Render(StringBuilder text, IncidentResult r)
    {
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(culture,
            $"The incident, replayed: seconds from the first failing {IncidentBench.JobType} execution on the broken release ({r.Rate} jobs/s per type)");
        var table = new List<List<string>>
        {
            new() { "guard", "engine", "rounds", "detect median (s)", "detect max (s)", "stop median (s)", "stop max (s)", "dead letters", "met" },
        };
        foreach (var s in r.Summaries)
        {
            table.Add([s.Guard.ToString().ToLowerInvariant(), s.Engine, $"{s.Rounds}", F(s.DetectMedian), F(s.DetectMax), F(s.StopMedian), F(s.StopMax),
                $"{s.DeadLettered}", s.Met ? "yes" : "NO"]);
        }
        table.Add(["April 2019", "-", "1", Hours(IncidentSummary.Detect2019), "", Hours(IncidentSummary.Stop2019), "", "all lost", ""]);
        TablePrinter.AppendTable(text, table);
        text.AppendLine(culture, $"targets: detect <= {IncidentSummary.DetectTarget:0} s, stop <= {IncidentSummary.StopTarget:0} s, every round, and drained");
        foreach (var round in r.Rounds)
        {
            text.AppendLine(culture, $"  {round.Engine} {round.Guard.ToString().ToLowerInvariant()} round {round.Round}: {round}");
        }
        foreach (var (key, value) in r.Settings)
        {
            text.AppendLine(culture, $"  {key}: {value}");
        }
    }

    /// <summary>A long time as hours and minutes (2019's figures, in seconds).</summary>
    private static string Hours(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min");

    private static string F(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
