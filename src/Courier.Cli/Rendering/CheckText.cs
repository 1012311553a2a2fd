using System.Globalization;
using Courier.Server.Check;

namespace Courier.Cli.Rendering;

/// <summary><c>courier check</c>'s text: the verdict and its reasons, a row per job type, the top errors of each failing type.</summary>
internal static class CheckText
{
    public static void Write(CliConsole console, CheckReport report)
    {
        var window = report.Window;
        var text = console.Out;
        text.WriteLine($"courier check: {report.Verdict.ToUpperInvariant()} — window {UtcTime.Format(window.Since)}"
            + (window.SinceRelease is null ? "" : $" (release {window.SinceRelease} first seen)")
            + $" to {UtcTime.Format(window.Until)}, baseline from {UtcTime.Format(window.BaselineSince)}");
        foreach (var reason in report.Reasons)
        {
            text.WriteLine($"  - {reason}");
        }
        if (report.Types.Count > 0)
        {
            text.WriteLine();
            TableOutput.Write(console, null, ["type", "verdict", "attempts", "failures", "ratio", "baseline", "decode", "probes ok/failed", "releases"],
                report.Types.Select(t => (IReadOnlyList<string>)[
                    t.Type, t.Verdict, Count(t.Window.Attempts), Count(t.Window.Failures), CheckJudge.Percent(t.Window.FailureRatio),
                    $"{CheckJudge.Percent(t.Baseline.FailureRatio)} of {Count(t.Baseline.Attempts)}", Count(t.Window.DecodeFailures),
                    $"{Count(t.Window.ProbesSucceeded)}/{Count(t.Window.ProbesFailed)}", string.Join(",", t.Releases.Select(r => r.Release)),
                ]).ToList());
        }
        foreach (var type in report.Types.Where(t => t.Verdict == CheckVerdicts.Fail))
        {
            text.WriteLine();
            text.WriteLine($"Top errors of {type.Type}:");
            foreach (var release in type.Releases.Where(r => r.TopErrors.Count > 0))
            {
                foreach (var error in release.TopErrors)
                {
                    text.WriteLine($"  {Count(error.Count),6}  [{release.Release}] {error.Message}");
                }
            }
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
