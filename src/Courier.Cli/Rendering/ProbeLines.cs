using System.Globalization;

namespace Courier.Cli.Rendering;

/// <summary>One line per probed job type for the live view and the plain progress: its last result, and why it is failing.</summary>
internal static class ProbeLines
{
    public static IEnumerable<string> Of(IEnumerable<ProbeStatus> probes, DateTimeOffset now) =>
        probes.Select(p =>
        {
            var counts = $"{Format.N(p.Succeeded)} ok, {Format.N(p.Failed)} failed";
            if (p.Missing)
            {
                return $"probe {p.Type}: MISSING, no result for three intervals ({counts})";
            }
            if (p.ConsecutiveFailures > 0)
            {
                return $"probe {p.Type}: FAILING, {Format.N(p.ConsecutiveFailures)} in a row on release {p.LastFailureRelease ?? "-"}: "
                    + $"{p.LastFailureMessage ?? "no message"} ({counts})";
            }
            return p.LastRun is { } last
                ? $"probe {p.Type}: ok {Ago(now - last)} ago on release {p.LastRelease ?? "-"} ({counts})"
                : $"probe {p.Type}: waiting for the first result";
        });

    private static string Ago(TimeSpan age) => age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s";
}
