using Courier.Server.Alerting;
using Courier.Server.Tests.Support;
using Courier.Testing.Alerting;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// Both detection paths and a downtime, with real components on each engine: a dispatcher whose built-in watcher sends
/// to the same real Alertmanager that Prometheus (scraping the dispatcher with the shipped rules) sends to, and to a
/// webhook of its own. A downtime for the service on host 127.0.0.1 is added with <c>courier downtime add</c> before
/// the handler's broken deploy runs: <c>CourierJobTypeFailing</c> fires in Prometheus and in the watcher, both silenced
/// (the watcher lists it silenced by the comment and holds it back, Alertmanager holds Prometheus' suppressed) and
/// nothing reaches a webhook; <c>courier downtime cancel</c> by the comment brings both origins' firing notifications;
/// the fix resolves both.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EndToEndDowntimeTests(EndToEndFixture alerting)
{
    private const string FailingAlert = "CourierJobTypeFailing";

    /// <summary>The host the downtime names: the watcher's <c>instance</c> and the host of Prometheus' (which adds <c>:port</c>).</summary>
    private const string Host = "127.0.0.1";

    /// <summary>After the fix, enough successes per earlier failure to bring the one-minute failure ratio under 14.4 %.</summary>
    private const int SuccessesPerFailure = 10;

    public static TheoryData<string> Engines => [.. EndToEndDispatcher.Engines];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ADowntimeSilencesBothOrigins_CancellingItNotifiesBoth_AndTheFixResolvesBoth(string engine)
    {
        var ct = TestContext.Current.CancellationToken;
        await alerting.StartAsync(ct);
        var webhook = alerting.Webhook;
        var prometheus = alerting.Prometheus;
        var alertmanager = new AlertmanagerApi(alerting.Alertmanager.BaseUrl);
        await using var ownHook = await AlertReceiverStandIn.StartAsync(ct);
        var type = WatcherServer.UniqueType("deployed");
        var comment = $"e2e {engine} deploy {Guid.NewGuid():N}";
        var deploy = new EndToEndDeploy();
        await using var dispatcher = await EndToEndDispatcher.StartAsync(engine, courier => courier
            .AddHandler(type, deploy)
            // Breaker off: it would stop the failures after 20 jobs, and these failures are what the alerts must see.
            .ConfigureDispatcher(d => d.Rules.Add(new JobRule { Type = type, Concurrency = 50, Retry = new RetryPolicy { Limit = 0 }, Breaker = BreakerPolicy.Off })), ct,
            alerting.WatcherConfig(Host, new Uri(ownHook.BaseUrl, "hook")));
        var server = dispatcher.Server;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        bool IsOurs(IReadOnlyDictionary<string, string> labels) =>
            labels.GetValueOrDefault("alertname") == FailingAlert && labels.GetValueOrDefault("job_type") == type;
        // Prometheus' own alert list shows the rule's labels; the external label is added on the way to Alertmanager.
        bool InPrometheus(IReadOnlyDictionary<string, string> labels) =>
            IsOurs(labels) && labels.GetValueOrDefault("instance") == dispatcher.MetricsUrl.Authority;
        bool FromPrometheus(IReadOnlyDictionary<string, string> labels) =>
            InPrometheus(labels) && labels.GetValueOrDefault(PrometheusProcess.OriginLabel) == PrometheusProcess.Origin;
        bool BuiltIn(IReadOnlyDictionary<string, string> labels) =>
            IsOurs(labels) && !labels.ContainsKey(PrometheusProcess.OriginLabel) && labels.GetValueOrDefault("instance") == Host;
        bool OwnHookHolds(AlertState state) => ownHook.Posts.Any(p => WatcherServer.Holds(p.Body, FailingAlert, type, state));
        async Task<string> State() =>
            $"Prometheus: {string.Join("; ", await prometheus.AlertsAsync())}; watcher: "
            + string.Join("; ", (await WatcherAlerts.GetAsync(http, ct)).Select(a => $"{a.Name} {a.State} silenced by {a.SilencedBy}"))
            + $"; Alertmanager: {await alertmanager.DescribeAsync(ct)}; handler threw {deploy.Thrown}, succeeded {deploy.Succeeded}";

        // The downtime, before the broken deploy runs a single job.
        var add = await CliRun.RunAsync("downtime", "add", "--service", EndToEndFixture.Service, "--hosts", Host, "--duration", "10m",
            "--comment", comment, "--data", dispatcher.DataPath, "--alertmanager", alerting.Alertmanager.BaseUrl.AbsoluteUri);
        Assert.True(add.ExitCode == 0, $"courier downtime add failed: {add.Out}{add.Error}");
        var seen = webhook.Received.Count;
        var load = EndToEndLoad.Start(server.Client, type);
        int burst;
        await using (load)
        {
            await prometheus.ScrapeAsync(dispatcher.MetricsUrl);

            // It fires on both paths, and both are silenced.
            await Eventually.TrueAsync(async () => (await prometheus.AlertsAsync()).Any(a => a.State == "firing" && InPrometheus(a.Labels)),
                $"Prometheus fires {FailingAlert} for {type}", EndToEndFixture.AlertBound, async () => await State());
            Alert? builtIn = null;
            await Eventually.TrueAsync(async () => (builtIn = (await WatcherAlerts.GetAsync(http, ct))
                    .FirstOrDefault(a => a.State == AlertState.Firing && BuiltIn(a.Labels))) is not null,
                $"the watcher fires {FailingAlert} for {type}", EndToEndFixture.AlertBound, async () => await State());
            Assert.True(builtIn!.Silenced, "the watcher's alert is not marked silenced");
            Assert.Equal(comment, builtIn.SilencedBy);
            AlertmanagerApi.HeldAlert? held = null;
            await Eventually.TrueAsync(async () => (held = (await alertmanager.AlertsAsync(ct)).FirstOrDefault(a => FromPrometheus(a.Labels) && a.Suppressed)) is not null,
                "Alertmanager holds Prometheus' alert suppressed by the downtime's silence", EndToEndFixture.AlertBound, async () => await State());
            Assert.All(held!.SilencedBy, id => Assert.Contains($"alertmanager silence {id}", add.Out, StringComparison.Ordinal));
            Assert.True(deploy.Thrown >= 5, $"the alert fired though the handler threw only {deploy.Thrown} times");
            Assert.Equal(0, deploy.Succeeded);

            // Nothing of it reached a webhook while the downtime was in force.
            var silencedSince = webhook.Received.Count;
            Assert.DoesNotContain(webhook.Received.Skip(seen).SelectMany(n => n.Alerts), a => IsOurs(a.Labels));
            Assert.False(OwnHookHolds(AlertState.Firing), "the watcher posted its silenced alert to its webhook");

            // Cancelled by its comment: both origins' firing notifications arrive.
            var cancel = await CliRun.RunAsync("downtime", "cancel", "--comment", comment, "--data", dispatcher.DataPath,
                "--alertmanager", alerting.Alertmanager.BaseUrl.AbsoluteUri);
            Assert.True(cancel.ExitCode == 0, $"courier downtime cancel failed: {cancel.Out}{cancel.Error}");
            var fromPrometheus = await webhook.WaitForAsync(silencedSince, a => a.Status == "firing" && FromPrometheus(a.Labels),
                $"Prometheus' firing {FailingAlert} for {type} after the cancel", EndToEndFixture.AlertBound, State);
            var fromWatcher = await webhook.WaitForAsync(silencedSince, a => a.Status == "firing" && BuiltIn(a.Labels),
                $"the watcher's firing {FailingAlert} for {type} after the cancel", EndToEndFixture.AlertBound, State);
            await Eventually.TrueAsync(() => OwnHookHolds(AlertState.Firing), "the watcher's own webhook received the firing alert", EndToEndFixture.AlertBound);
            Assert.All([fromPrometheus, fromWatcher], a =>
            {
                Assert.Equal(EndToEndFixture.Service, a.Label("service"));
                Assert.Equal("page", a.Label("severity"));
                Assert.Contains(type, a.Annotations["summary"], StringComparison.Ordinal);
            });

            // The fix resolves both.
            deploy.Fix();
            burst = SuccessesPerFailure * deploy.Thrown;
            await load.BurstAsync(server.Client, type, burst, ct);
            await webhook.WaitForAsync(silencedSince, a => a.Status == "resolved" && FromPrometheus(a.Labels),
                $"Prometheus' {FailingAlert} for {type} resolved", EndToEndFixture.AlertBound, State);
            await webhook.WaitForAsync(silencedSince, a => a.Status == "resolved" && BuiltIn(a.Labels),
                $"the watcher's {FailingAlert} for {type} resolved", EndToEndFixture.AlertBound, State);
        }

        // What happened really happened: every job ran, those before the fix threw and were dead-lettered.
        await Eventually.TrueAsync(() => deploy.Thrown + deploy.Succeeded == load.Enqueued, "every enqueued job was handled",
            state: () => $"enqueued {load.Enqueued}, thrown {deploy.Thrown}, succeeded {deploy.Succeeded}");
        Assert.True(deploy.Succeeded >= burst, $"only {deploy.Succeeded} jobs succeeded after the fix, fewer than the {burst} enqueued at once");
        await Eventually.TrueAsync(() => server.Dispatcher.GetStats().Single(s => s.Type == type).DeadLettered == deploy.Thrown,
            "the dispatcher dead-lettered each job the handler threw on");
    }
}
