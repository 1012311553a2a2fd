using System.Net.Http.Json;
using System.Text.Json;
using Courier.Testing.Alerting;

namespace Courier.Server.Tests.Alerting;

/// <summary>What a real Alertmanager holds (<c>GET /api/v2/alerts</c>): each alert's labels and whether a silence suppresses it.</summary>
internal sealed class AlertmanagerApi(Uri baseUrl)
{
    /// <summary>One alert Alertmanager holds.</summary>
    public sealed record HeldAlert(IReadOnlyDictionary<string, string> Labels, string State, IReadOnlyList<string> SilencedBy)
    {
        /// <summary>Whether a silence keeps it from the receivers (state <c>suppressed</c>, silenced by at least one silence).</summary>
        public bool Suppressed => State == "suppressed" && SilencedBy.Count > 0;

        public override string ToString() => $"{State} {AlertLabels.Format(Labels)}";
    }

    /// <summary>Every alert, active, suppressed or unprocessed.</summary>
    public async Task<IReadOnlyList<HeldAlert>> AlertsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var alerts = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/v2/alerts", UriKind.Relative), cancellationToken);
        return [.. alerts.EnumerateArray().Select(a =>
        {
            var status = a.GetProperty("status");
            return new HeldAlert(AlertLabels.Parse(a.GetProperty("labels")), status.GetProperty("state").GetString()!,
                [.. status.GetProperty("silencedBy").EnumerateArray().Select(s => s.GetString()!)]);
        })];
    }

    /// <summary>The alerts on one line, for failure messages.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken) => string.Join("; ", await AlertsAsync(cancellationToken));
}
