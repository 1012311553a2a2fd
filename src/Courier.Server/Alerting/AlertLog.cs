using Microsoft.Extensions.Logging;

namespace Courier.Server.Alerting;

/// <summary>
/// The built-in watcher's log lines for alerts changing state, so that `courier serve`'s log (the journal, a log
/// shipper) shows an alert even where no receiver is configured: a page at error, a ticket at warning, the end at
/// information. A silenced alert is logged too, at information, naming the downtime.
/// </summary>
internal static partial class AlertLog
{
    [LoggerMessage(5100, LogLevel.Error, "Alert {AlertName} firing ({Labels}): {Summary}")]
    public static partial void PageFiring(ILogger logger, string alertName, string labels, string summary);

    [LoggerMessage(5101, LogLevel.Warning, "Alert {AlertName} firing ({Labels}): {Summary}")]
    public static partial void TicketFiring(ILogger logger, string alertName, string labels, string summary);

    [LoggerMessage(5102, LogLevel.Information, "Alert {AlertName} firing but silenced by the downtime '{Downtime}' ({Labels}): {Summary}")]
    public static partial void SilencedFiring(ILogger logger, string alertName, string downtime, string labels, string summary);

    [LoggerMessage(5103, LogLevel.Information, "Alert {AlertName} resolved ({Labels}), firing since {Since:O}")]
    public static partial void Resolved(ILogger logger, string alertName, string labels, DateTimeOffset since);

    /// <summary>Logs what changed between two evaluations: alerts that started firing and alerts that resolved.</summary>
    public static void Changes(ILogger logger, IReadOnlyList<Alert> before, IReadOnlyList<Alert> after)
    {
        var firingBefore = before.Where(a => a.State == AlertState.Firing).Select(a => SeriesValue.KeyOf(a.Labels)).ToHashSet(StringComparer.Ordinal);
        var firingAfter = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alert in after.Where(a => a.State == AlertState.Firing))
        {
            var key = SeriesValue.KeyOf(alert.Labels);
            firingAfter.Add(key);
            if (firingBefore.Contains(key))
            {
                continue;
            }
            if (alert.Silenced)
            {
                SilencedFiring(logger, alert.Name, alert.SilencedBy ?? "", Describe(alert), alert.Summary);
            }
            else if (alert.Labels.GetValueOrDefault("severity") == "page")
            {
                PageFiring(logger, alert.Name, Describe(alert), alert.Summary);
            }
            else
            {
                TicketFiring(logger, alert.Name, Describe(alert), alert.Summary);
            }
        }
        foreach (var alert in before.Where(a => a.State == AlertState.Firing && !firingAfter.Contains(SeriesValue.KeyOf(a.Labels))))
        {
            Resolved(logger, alert.Name, Describe(alert), alert.Since);
        }
    }

    /// <summary>The labels other than the name, as <c>job_type=massMessage, severity=page, …</c>, in key order.</summary>
    private static string Describe(Alert alert) =>
        string.Join(", ", alert.Labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
