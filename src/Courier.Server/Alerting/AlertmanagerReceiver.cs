using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Alerting;

/// <summary>
/// An Alertmanager (<c>alerting.alertmanager.url</c>), through its v2 API: <c>POST {url}/api/v2/alerts</c> with a list
/// of postable alerts (labels, annotations, startsAt, endsAt, generatorURL), whenever the alerts change and again every
/// resend interval while any is listed. A firing alert's <c>endsAt</c> lies four resend intervals ahead, so the
/// Alertmanager resolves it by itself if this process stops sending; a resolved one carries its real end.
/// </summary>
internal sealed class AlertmanagerReceiver(Uri baseUrl, TimeSpan resendInterval, Func<Uri?> generatorUrl, HttpClient http,
    Counter<long> deliveries, ILogger logger)
    : AlertReceiver("alertmanager", http, deliveries, logger)
{
    /// <inheritdoc />
    protected override Uri Url { get; } = new(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), "api/v2/alerts");

    /// <inheritdoc />
    protected override bool IsDue(bool changed, TimeSpan since) => changed || since >= resendInterval;

    /// <inheritdoc />
    protected override HttpContent Body(IReadOnlyList<Alert> alerts, DateTimeOffset now) =>
        JsonContent.Create(alerts.Select(a => new PostableAlert(
            a.Labels,
            new Dictionary<string, string> { ["summary"] = a.Summary, ["description"] = a.Description ?? "" },
            a.Since,
            a.ResolvedAt ?? now + 4 * resendInterval,
            generatorUrl()?.AbsoluteUri)).ToArray());

    private sealed record PostableAlert(
        [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
        [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string> Annotations,
        [property: JsonPropertyName("startsAt")] DateTimeOffset StartsAt,
        [property: JsonPropertyName("endsAt")] DateTimeOffset EndsAt,
        [property: JsonPropertyName("generatorURL"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GeneratorUrl);
}
