using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        var received = new TaskCompletionSource<JsonDocument>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var webhook = await LoopbackApp.StartAsync(app => app.MapPost("/alerts", async (HttpRequest request) =>
        {
            received.TrySetResult(await JsonDocument.ParseAsync(request.Body));
            return Results.Ok();
        }), cancellationToken: ct);
        await using var alertmanager = await AlertmanagerProcess.StartAsync(new Uri(webhook.BaseUrl, "/alerts"), ct);

        using var http = new HttpClient { BaseAddress = alertmanager.BaseUrl };
        using var posted = await http.PostAsJsonAsync("/api/v2/alerts",
            new[] { new { labels = new Dictionary<string, string> { ["alertname"] = "FixtureProbe", ["job_type"] = "massMessage" } } }, ct);
        Assert.True(posted.IsSuccessStatusCode, $"Alertmanager refused the alert: {(int)posted.StatusCode}\n{alertmanager.Tail()}");

        using var notification = await received.Task.WaitAsync(Eventually.DefaultBound, ct);
        var root = notification.RootElement;
        Assert.Equal("4", root.GetProperty("version").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        var alert = Assert.Single(root.GetProperty("alerts").EnumerateArray());
        Assert.Equal("FixtureProbe", alert.GetProperty("labels").GetProperty("alertname").GetString());
        Assert.Equal("massMessage", alert.GetProperty("labels").GetProperty("job_type").GetString());
    }
}
