using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Alerting;

/// <summary>
/// A generic webhook (<c>alerting.webhooks</c>): at each change of state it receives every unsilenced alert, firing
/// and resolved, as <c>{"alerts":[Alert...]}</c> — the shape of <c>GET /v1/alerts</c>.
/// </summary>
internal sealed class WebhookReceiver(Uri url, HttpClient http, Counter<long> deliveries, ILogger logger)
    : AlertReceiver("webhook", http, deliveries, logger)
{
    /// <inheritdoc />
    protected override Uri Url => url;

    /// <inheritdoc />
    protected override bool IsDue(bool changed, TimeSpan since) => changed;

    /// <inheritdoc />
    protected override HttpContent Body(IReadOnlyList<Alert> alerts, DateTimeOffset now) => JsonContent.Create(new AlertList(alerts));
}
