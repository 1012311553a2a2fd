using System.Net.Http.Json;
using Courier.Server.Alerting;

namespace Courier.Server.Tests.Alerting;

/// <summary>The built-in watcher's alerts as <c>GET /v1/alerts</c> serves them on a dispatcher's HTTP endpoint.</summary>
internal static class WatcherAlerts
{
    /// <summary>The alerts listed by the dispatcher that <paramref name="http"/> has as its base address.</summary>
    public static async Task<IReadOnlyList<Alert>> GetAsync(HttpClient http, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<AlertList>(new Uri(AlertingHosting.Route.TrimStart('/'), UriKind.Relative), cancellationToken))!.Alerts;
}
