using System.Diagnostics.Metrics;
using Courier.Server.Downtimes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Alerting;

/// <summary>
/// The built-in watcher: every <see cref="WatcherSettings.EvaluationInterval"/> it reads the process's own counters
/// and gauges (as a Prometheus scrape would see them), evaluates the shipped rules' alerts with the same names,
/// severities and thresholds, marks the ones a downtime silences, and offers the rest to its receivers (an
/// Alertmanager, webhooks). No Prometheus is needed; <see cref="Alerts"/> is what <c>GET /v1/alerts</c> shows.
/// </summary>
internal sealed class AlertWatcher : BackgroundService
{
    private readonly WatcherSettings _settings;
    private readonly SnapshotMetricReader _reader;
    private readonly IDowntimeReader? _downtimes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WatcherRule[] _rules;
    private readonly SampleHistory _history = new();
    private readonly AlertBook _book;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly AlertReceiver[] _receivers;
    private IReadOnlyList<Alert> _alerts = [];

    internal AlertWatcher(WatcherSettings settings, SnapshotMetricReader reader, IDowntimeReader? downtimes, TimeProvider time,
        IMeterFactory meterFactory, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _reader = reader;
        _downtimes = downtimes;
        _time = time;
        _logger = loggerFactory.CreateLogger<AlertWatcher>();
        _rules = [.. new[] { FailureRatioRules.Create(settings), PipelineRules.Create(), RunnerRules.Create(settings), ProbeRules.Create(), ClaimRules.Create(), StateRules.Create() }.SelectMany(r => r).Select(settings.Held)];
        _book = new AlertBook(new Dictionary<string, string> { ["service"] = settings.Service, ["instance"] = settings.Instance });
        var meter = meterFactory.Create(CourierTelemetry.Name);
        var deliveries = meter.CreateCounter<long>("courier.alerts.deliveries", "{delivery}",
            "Deliveries of the built-in watcher's alerts, by receiver (alertmanager, webhook) and outcome (delivered, failed).");
        meter.CreateObservableGauge("courier.alerts.firing", FiringCounts, "{alert}",
            "Alerts of the built-in watcher firing now, by alertname and severity (silenced ones included).");
        var receivers = settings.Webhooks.Select(AlertReceiver (u) => new WebhookReceiver(u, _http, deliveries, _logger)).ToList();
        if (settings.AlertmanagerUrl is { } url)
        {
            receivers.Add(new AlertmanagerReceiver(url, settings.ResendInterval, () => GeneratorUrl, _http, deliveries, _logger));
        }
        _receivers = [.. receivers];
    }

    /// <summary>The firing and resolved alerts at the last evaluation, firing first.</summary>
    public IReadOnlyList<Alert> Alerts => Volatile.Read(ref _alerts);

    /// <summary>The settings in force.</summary>
    public WatcherSettings Settings => _settings;

    /// <summary>The address sent as an alert's <c>generatorURL</c> (the server's <c>/v1/alerts</c> once it listens).</summary>
    public Uri? GeneratorUrl { get; set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Evaluate();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "The built-in watcher's evaluation failed; it runs again in {Interval}", _settings.EvaluationInterval);
            }
            try
            {
                await Task.Delay(_settings.EvaluationInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_receivers.Select(r => r.Idle));
    }

    /// <summary>One evaluation: read, evaluate, silence, offer to the receivers.</summary>
    internal void Evaluate()
    {
        var now = _time.GetUtcNow();
        _history.Add(_reader.Read(now));
        _book.Update(now, _rules.SelectMany(rule => rule.Evaluate(_history).Select(match => (rule, match))));
        var downtimes = ActiveDowntimes(now);
        var alerts = _book.Alerts()
            .Select(a => downtimes.FirstOrDefault(d => d.Silences(a.Labels, now)) is { } d ? a with { Silenced = true, SilencedBy = d.Comment } : a)
            .ToArray();
        AlertLog.Changes(_logger, Volatile.Read(ref _alerts), alerts);
        Volatile.Write(ref _alerts, alerts);
        var deliverable = alerts.Where(a => !a.Silenced).ToArray();
        foreach (var receiver in _receivers)
        {
            receiver.Offer(deliverable, now);
        }
    }

    /// <summary>
    /// The downtimes in force; when the store cannot be read the alerts go out unsilenced (a warning says why): a
    /// broken downtime file must not hide a failing job type.
    /// </summary>
    private IReadOnlyList<Downtime> ActiveDowntimes(DateTimeOffset now)
    {
        try
        {
            return _downtimes?.Active(now) ?? [];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Reading the downtimes failed; alerts are delivered unsilenced until it works again");
            return [];
        }
    }

    private IEnumerable<Measurement<int>> FiringCounts()
    {
        var firing = Alerts.Where(a => a.State == AlertState.Firing).ToArray();
        return _rules.Select(r => new Measurement<int>(firing.Count(a => a.Name == r.Name),
            new("alertname", r.Name), new("severity", r.Severity)));
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
    }
}
