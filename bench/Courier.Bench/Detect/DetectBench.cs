using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Courier.Server.Alerting;
using Courier.Testing.Alerting;
// Courier.Server.Alerting has an internal one of the same name, seen here since the bench reads the dead-letter index.
using WebhookReceiver = Courier.Testing.Alerting.WebhookReceiver;

namespace Courier.Bench.Detect;

/// <summary>
/// Time to detect (issue 11): a type served steadily and successfully for a warm-up, then failing on every job. Each
/// round starts a fresh dispatcher service (built-in watcher at its defaults, a webhook), Prometheus evaluating the
/// shipped rules at the example configuration's intervals, Alertmanager with the example's group_wait, and a webhook
/// receiver; it measures the seconds from the first failing execution to the alert on each <see cref="DetectPath"/>.
/// </summary>
internal sealed class DetectBench(BenchOptions options, Action<string> log)
{
    /// <summary>The type that breaks (the 2019 incident's).</summary>
    public const string JobType = "massMessage";

    /// <summary>The fast alert measured, in the watcher and in the shipped rules.</summary>
    public const string FailingAlert = "CourierJobTypeFailing";

    private const string Service = "courier";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<DetectResult> RunAsync(CancellationToken cancellationToken)
    {
        var deploy = DeployFiles.Load(FailingAlert);
        var settings = new Dictionary<string, string>
        {
            ["rules"] = DeployFiles.Folder + "/courier.rules.yml",
            [FailingAlert] = deploy.FailingExpression,
            ["prometheus scrape_interval / scrape_timeout / evaluation_interval"] =
                $"{S(deploy.Prometheus.Scrape)} / {S(deploy.Prometheus.ScrapeTimeout)} / {S(deploy.Prometheus.Evaluation)} (prometheus.example.yml)",
            ["alertmanager group_wait / group_interval"] = $"{S(deploy.GroupWait)} / {S(deploy.GroupInterval)} (alertmanager.example.yml)",
            ["watcher defaults"] = WatcherDefaults(),
            ["warm-up"] = $"{options.DetectWarmupSeconds}s at {options.DetectRate} jobs/s, all succeeding, scraped from the start",
            ["polling"] = $"GET /v1/alerts and Prometheus /api/v1/alerts every {Poll.TotalMilliseconds:0} ms; webhooks timed on arrival",
        };
        var rounds = new List<DetectRound>();
        foreach (var engine in options.DetectEngines)
        {
            for (var round = 1; round <= options.DetectRounds; round++)
            {
                var result = await RunRoundAsync(engine, round, deploy, cancellationToken);
                log($"{engine} round {round}: " + string.Join(", ", result.Seconds.Select(s => $"{s.Key} {Seconds(s.Value)}")));
                rounds.Add(result);
            }
        }
        return new DetectResult
        {
            Rate = options.DetectRate,
            Settings = settings,
            Rounds = rounds,
            Summaries = [.. options.DetectEngines.SelectMany(e => DetectPath.All.Select(p => DetectSummary.Of(p, e, [.. rounds.Where(r => r.Engine == e)])))],
        };
    }

    private async Task<DetectRound> RunRoundAsync(string engine, int round, DeployFiles deploy, CancellationToken cancellationToken)
    {
        log($"{engine} round {round}: starting Prometheus, Alertmanager, the receivers and the dispatcher");
        await using var webhook = await WebhookReceiver.StartAsync(cancellationToken);
        await using var alertmanager = await AlertmanagerProcess.StartAsync(webhook.Url, deploy.GroupWait, deploy.GroupInterval, cancellationToken);
        await using var prometheus = await PrometheusProcess.StartAsync(alertmanager, deploy.RulesFile, Service,
            holdFor: null, deploy.Prometheus, cancellationToken);
        await using var watcherHook = await WatcherWebhook.StartAsync(a => a.Name == FailingAlert && IsOurs(a.Labels), cancellationToken);
        var handler = new DetectHandler();
        await using var dispatcher = await DetectDispatcher.StartAsync(engine, JobType, handler, watcherHook.Url, cancellationToken);
        var server = dispatcher.Server;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        var warmupStart = Stopwatch.GetTimestamp();
        var load = EndToEndLoad.Start(server.Client, JobType, Math.Max(1, options.DetectRate * EndToEndLoad.Tick.Milliseconds / 1000));
        await using (load)
        {
            await prometheus.ScrapeAsync(server.MetricsUrl!);
            log($"{engine} round {round}: scraped; {options.DetectWarmupSeconds}s of healthy traffic");
            await Task.Delay(TimeSpan.FromSeconds(options.DetectWarmupSeconds), cancellationToken);
            var succeeded = handler.Succeeded;
            handler.Break();
            var t0 = await handler.FirstFailure.WaitAsync(cancellationToken);
            var warmup = Stopwatch.GetElapsedTime(warmupStart, t0);
            log($"{engine} round {round}: the handler fails from now on; waiting up to {options.DetectLimitSeconds}s for the alerts");

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var limit = TimeSpan.FromSeconds(options.DetectLimitSeconds);
            stop.CancelAfter(limit);
            var seen = new Dictionary<DetectPath, Task<long>>
            {
                [DetectPath.BuiltInList] = PollAsync(async () =>
                    (await http.GetFromJsonAsync<AlertList>(new Uri(AlertingHosting.Route.TrimStart('/'), UriKind.Relative), stop.Token))!.Alerts
                        .Any(a => a.Name == FailingAlert && a.State == AlertState.Firing && IsOurs(a.Labels)), stop.Token),
                [DetectPath.BuiltInWebhook] = watcherHook.Firing.WaitAsync(stop.Token),
                [DetectPath.PrometheusFiring] = PollAsync(async () =>
                    (await prometheus.AlertsAsync()).Any(a => a.State == "firing" && a.Label("alertname") == FailingAlert && IsOurs(a.Labels)), stop.Token),
                [DetectPath.AlertmanagerWebhook] = WebhookAsync(webhook, limit, stop.Token),
            };
            try
            {
                await Task.WhenAll(seen.Values);
            }
            catch (Exception) when (seen.Values.All(t => t.IsCompleted))
            {
                // A path that timed out is reported as not seen.
            }
            return new DetectRound
            {
                Engine = engine,
                Round = round,
                FirstFailureAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(t0),
                WarmupSeconds = warmup.TotalSeconds,
                Succeeded = succeeded,
                Failed = handler.Failed,
                Seconds = DetectPath.All.ToDictionary(p => p.Name,
                    p => seen[p].IsCompletedSuccessfully ? Stopwatch.GetElapsedTime(t0, seen[p].Result).TotalSeconds : (double?)null),
            };
        }
    }

    private static bool IsOurs(IReadOnlyDictionary<string, string> labels) => labels.GetValueOrDefault("job_type") == JobType;

    /// <summary>When <paramref name="seen"/> first answered true, checking every <see cref="Poll"/>.</summary>
    private static async Task<long> PollAsync(Func<Task<bool>> seen, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Poll);
        do
        {
            if (await seen())
            {
                return Stopwatch.GetTimestamp();
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>When Alertmanager's notification of the alert firing reached the receiver.</summary>
    private static async Task<long> WebhookAsync(WebhookReceiver webhook, TimeSpan limit, CancellationToken cancellationToken)
    {
        await webhook.WaitForAsync(0, a => a.Status == "firing" && a.Label("alertname") == FailingAlert && IsOurs(a.Labels),
            $"{FailingAlert} firing for {JobType}", limit).WaitAsync(cancellationToken);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>The watcher's default durations and thresholds, read from <see cref="WatcherSettings"/> whatever they are named.</summary>
    private static string WatcherDefaults()
    {
        var defaults = new WatcherSettings();
        return string.Join(", ", typeof(WatcherSettings).GetProperties()
            .Where(p => p.PropertyType == typeof(TimeSpan) || p.PropertyType == typeof(double) || p.PropertyType == typeof(int))
            .Select(p => p.GetValue(defaults) switch
            {
                TimeSpan t => $"{p.Name} {S(t)}",
                IFormattable n => $"{p.Name} {n.ToString(null, CultureInfo.InvariantCulture)}",
                var v => $"{p.Name} {v}",
            }));
    }

    private static string S(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    internal static string Seconds(double? seconds) =>
        seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "not seen";
}
