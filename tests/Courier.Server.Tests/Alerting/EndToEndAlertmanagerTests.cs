using Courier.Testing.Alerting;
using System.Net.Http.Json;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The Alertmanager fixture on its own: a real Alertmanager given an alert through its API notifies the webhook its
/// generated configuration names, within its short group wait.
/// </summary>
public sealed class EndToEndAlertmanagerTests
{
    [Fact]
    public async Task AnAlertPostedToAlertmanager_ReachesTheWebhookItWasStartedWith()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var webhook = await WebhookReceiver.StartAsync(ct);
        await using var alertmanager = await AlertmanagerProcess.StartAsync(webhook.Url, ct);

        using var http = new HttpClient { BaseAddress = alertmanager.BaseUrl };
        using var posted = await http.PostAsJsonAsync("/api/v2/alerts",
            new[] { new { labels = new Dictionary<string, string> { ["alertname"] = "FixtureProbe", ["job_type"] = "massMessage" } } }, ct);
        Assert.True(posted.IsSuccessStatusCode, $"Alertmanager refused the alert: {(int)posted.StatusCode}\n{alertmanager.Tail()}");

        var alert = await webhook.WaitForAsync(0, a => a.Label("alertname") == "FixtureProbe", "the probe alert");
        Assert.Equal("firing", alert.Status);
        Assert.Equal("massMessage", alert.Label("job_type"));
        var notification = Assert.Single(webhook.Received);
        Assert.Equal("4", notification.Version);
        Assert.Equal("massMessage", notification.GroupLabels["job_type"]);
    }
}
