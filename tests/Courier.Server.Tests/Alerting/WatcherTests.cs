using System.Text.Json;
using Courier.Server.Alerting;
using Courier.Server.Downtimes;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The built-in watcher in a real dispatcher service on SQLite: a type whose handler fails every job fires
/// <c>CourierJobTypeFailing</c> with the agreed labels, listed by <c>GET /v1/alerts</c> and posted to a webhook,
/// then resolves once the handler works again; a type with one failure stays quiet; the Alertmanager receives the
/// v2 postable shape, again after refusing; a downtime silences without hiding.
/// </summary>
public sealed class WatcherTests
{
    private const string Failing = "CourierJobTypeFailing";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    // Every Meter named Courier in the test process feeds every server's readers (the SDK listens by name), so each
    // test's types are its own.
    private readonly string _flaky = WatcherServer.UniqueType("flaky");
    private readonly string _rare = WatcherServer.UniqueType("rare");

    [Fact]
    public async Task FailingType_Fires_IsListedAndPosted_ThenResolves_WhileALowTrafficFailureStaysQuiet()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var hook = await AlertReceiverStandIn.StartAsync(ct);
        var flakyHandler = new SwitchableHandler(broken: true);
        var rare = new SwitchableHandler(broken: true);
        await using var server = await WatcherServer.StartAsync(dir.Path, $"  webhooks: [ \"{new Uri(hook.BaseUrl, "hook")}\" ]\n",
            new Dictionary<string, SwitchableHandler> { [_flaky] = flakyHandler, [_rare] = rare }, cancellationToken: ct);

        await server.EnqueueAsync(_rare, 1, ct);
        await Eventually.TrueAsync(() => server.Finished(_rare) == 1, "the quiet type's one job failed", Bound);
        await server.EnqueueAsync(_flaky, 6, ct);
        IReadOnlyList<Alert> alerts = [];
        await Eventually.TrueAsync(async () =>
        {
            alerts = await server.AlertsAsync(ct);
            return WatcherServer.Has(alerts, Failing, _flaky, AlertState.Firing);
        }, "GET /v1/alerts listed CourierJobTypeFailing for the failing type", Bound, () => ValueTask.FromResult(JsonSerializer.Serialize(alerts)));
        await Eventually.TrueAsync(() => hook.Posts.Any(p => WatcherServer.Holds(p.Body, Failing, _flaky, AlertState.Firing)),
            "the webhook received the firing alert", Bound);

        flakyHandler.Broken = false;
        await server.EnqueueAsync(_flaky, 60, ct); // 6 failures in 66 executions: 9 %, under the 14.4 % threshold
        await Eventually.TrueAsync(() => hook.Posts.Any(p => WatcherServer.Holds(p.Body, Failing, _flaky, AlertState.Resolved)),
            "the webhook received the resolved alert after the handler was fixed", Bound,
            () => string.Join('\n', hook.Posts.Select(p => p.Body.ToString())));

        var fired = alerts.First(a => a.Name == Failing && a.Labels["job_type"] == _flaky);
        Assert.Equal(new Dictionary<string, string>
        {
            ["alertname"] = Failing, ["severity"] = "page", ["service"] = "courier", ["instance"] = "test-host", ["job_type"] = _flaky,
        }, fired.Labels);
        Assert.Equal($"Jobs of type {_flaky} are failing (100% over 1m)", fired.Summary);
        Assert.Equal(1.0, fired.Value);
        Assert.DoesNotContain(alerts, a => a.Labels.TryGetValue("job_type", out var t) && t == _rare);
        Assert.All(hook.Posts, p => Assert.Equal("/hook", p.Path));
    }

    [Fact]
    public async Task Alertmanager_ReceivesPostableAlerts_AfterARefusalCountedAsFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var alertmanager = await AlertReceiverStandIn.StartAsync(ct);
        alertmanager.Refusing = true;
        await using var server = await WatcherServer.StartAsync(dir.Path, $"  alertmanager: {{ url: \"{alertmanager.BaseUrl}/\" }}\n",
            new Dictionary<string, SwitchableHandler> { [_flaky] = new(broken: true) }, cancellationToken: ct);

        await server.EnqueueAsync(_flaky, 5, ct);
        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await server.Http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
            return metrics.Contains("courier_alerts_deliveries_total{otel_scope_name=\"Courier\",outcome=\"failed\",receiver=\"alertmanager\"}", StringComparison.Ordinal);
        }, "a refused delivery was counted", Bound, () => ValueTask.FromResult(metrics));
        alertmanager.Refusing = false;
        await Eventually.TrueAsync(() => !alertmanager.Posts.IsEmpty, "the Alertmanager received the alerts after refusing", Bound);

        var (path, body) = alertmanager.Posts.First();
        Assert.Equal("/api/v2/alerts", path);
        var failing = body.EnumerateArray().Single(a => a.GetProperty("labels").GetProperty("alertname").GetString() == Failing
            && a.GetProperty("labels").GetProperty("job_type").GetString() == _flaky);
        Assert.Equal(_flaky, failing.GetProperty("labels").GetProperty("job_type").GetString());
        Assert.Equal("test-host", failing.GetProperty("labels").GetProperty("instance").GetString());
        Assert.Equal($"Jobs of type {_flaky} are failing (100% over 1m)", failing.GetProperty("annotations").GetProperty("summary").GetString());
        Assert.StartsWith($"{_flaky} failed 100% of its executions", failing.GetProperty("annotations").GetProperty("description").GetString());
        Assert.True(failing.GetProperty("endsAt").GetDateTimeOffset() > failing.GetProperty("startsAt").GetDateTimeOffset().AddMinutes(3),
            "a firing alert ends four resend intervals ahead");
        Assert.EndsWith("/v1/alerts", failing.GetProperty("generatorURL").GetString());
        Assert.Matches("courier_alerts_firing\\{otel_scope_name=\"Courier\",alertname=\"CourierJobTypeFailing\",severity=\"page\"\\} [1-9]", metrics);
    }

    [Fact]
    public async Task Downtime_SilencesTheAlert_StillListed_NotDelivered_UntilItIsRemoved()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        await using var hook = await AlertReceiverStandIn.StartAsync(ct);
        var downtime = new Downtime
        {
            Id = "1", GroupId = "g", Service = "courier", Hosts = "test-*", Comment = "planned maintenance", CreatedBy = "ops@host",
            StartsAt = DateTimeOffset.UtcNow.AddHours(-1), EndsAt = DateTimeOffset.UtcNow.AddHours(1),
        };
        var downtimes = new FixedDowntimes { Downtimes = [downtime] };
        await using var server = await WatcherServer.StartAsync(dir.Path, $"  webhooks: [ \"{new Uri(hook.BaseUrl, "hook")}\" ]\n",
            new Dictionary<string, SwitchableHandler> { [_flaky] = new(broken: true) }, downtimes, ct);

        await server.EnqueueAsync(_flaky, 5, ct);
        IReadOnlyList<Alert> alerts = [];
        await Eventually.TrueAsync(async () =>
        {
            alerts = await server.AlertsAsync(ct);
            return WatcherServer.Has(alerts, Failing, _flaky, AlertState.Firing);
        }, "the silenced alert is listed", Bound);

        var postedWhileSilenced = hook.Posts.Count;
        downtimes.Downtimes = [];
        await Eventually.TrueAsync(() => !hook.Posts.IsEmpty, "the alert was posted once the downtime was gone", Bound);

        var silenced = alerts.First(a => a.Name == Failing && a.Labels["job_type"] == _flaky);
        Assert.True(silenced.Silenced);
        Assert.Equal("planned maintenance", silenced.SilencedBy);
        Assert.Equal(0, postedWhileSilenced);
        Assert.True(WatcherServer.Holds(hook.Posts.First().Body, Failing, _flaky, AlertState.Firing));
    }

    private sealed class FixedDowntimes : IDowntimeReader
    {
        public volatile IReadOnlyList<Downtime> Downtimes = [];

        public IReadOnlyList<Downtime> Active(DateTimeOffset now) => Downtimes.Where(d => d.IsActive(now)).ToArray();
    }
}
