using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Alerting;

/// <summary>
/// Where the watcher delivers its unsilenced alerts over HTTP. A delivery runs beside the evaluation loop, never in
/// it: while one is under way the next offers are skipped, and a failed one (logged at warning, counted in
/// <c>courier.alerts.deliveries</c>) is tried again at the next evaluation, since what it carried stays undelivered.
/// </summary>
internal abstract class AlertReceiver(string name, HttpClient http, Counter<long> deliveries, ILogger logger)
{
    private Task _sending = Task.CompletedTask;
    private string? _delivered;
    private DateTimeOffset _deliveredAt = DateTimeOffset.MinValue;

    /// <summary>The <c>receiver</c> tag: <c>alertmanager</c> or <c>webhook</c>.</summary>
    public string Name => name;

    /// <summary>Where the alerts are posted.</summary>
    protected abstract Uri Url { get; }

    /// <summary>Whether to post now: the alerts changed since the last delivery, or it was <paramref name="since"/> ago.</summary>
    protected abstract bool IsDue(bool changed, TimeSpan since);

    /// <summary>The request body for these alerts.</summary>
    protected abstract HttpContent Body(IReadOnlyList<Alert> alerts, DateTimeOffset now);

    /// <summary>Starts a delivery of <paramref name="alerts"/> when one is due and none is under way.</summary>
    public void Offer(IReadOnlyList<Alert> alerts, DateTimeOffset now)
    {
        if (!_sending.IsCompleted || alerts.Count == 0)
        {
            return;
        }
        var fingerprint = string.Join('\n', alerts.Select(a => a.State + " " + SeriesValue.KeyOf(a.Labels)));
        if (IsDue(fingerprint != _delivered, now - _deliveredAt))
        {
            _sending = SendAsync(alerts, fingerprint, now);
        }
    }

    /// <summary>Waits for the delivery under way, if any (on shutdown).</summary>
    public Task Idle => _sending;

    private async Task SendAsync(IReadOnlyList<Alert> alerts, string fingerprint, DateTimeOffset now)
    {
        await Task.Yield();
        try
        {
            using var content = Body(alerts, now);
            using var response = await http.PostAsync(Url, content);
            response.EnsureSuccessStatusCode();
            _delivered = fingerprint;
            _deliveredAt = now;
            deliveries.Add(1, new("receiver", name), new("outcome", "delivered"));
        }
#pragma warning disable CA1031 // Whatever fails a delivery is logged and retried; it must not fault the loop silently.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            deliveries.Add(1, new("receiver", name), new("outcome", "failed"));
            logger.LogWarning("Alert delivery to {Receiver} {Url} failed, retried at the next evaluation: {Error}", name, Url, ex.Message);
        }
    }
}
