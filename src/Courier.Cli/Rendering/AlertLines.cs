using Courier.Server.Alerting;

namespace Courier.Cli.Rendering;

/// <summary>One line per alert for the live view, the plain progress and the summary: name, severity, summary, silence.</summary>
internal static class AlertLines
{
    public static IEnumerable<string> Of(IEnumerable<Alert> alerts) =>
        alerts.Select(a => $"{a.Name} ({(a.Labels.TryGetValue("severity", out var s) ? s : "-")}): {a.Summary}"
            + (a.Silenced ? $" [silenced: {a.SilencedBy}]" : ""));
}
