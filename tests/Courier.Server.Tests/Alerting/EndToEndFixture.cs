using Courier.Testing.Alerting;
using Courier.Server.Tests.Support;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// One real alerting pipeline for the tests of <see cref="EndToEndCollection"/>: Prometheus evaluating the shipped rules (deploy/prometheus/courier.rules.yml)
/// → Alertmanager → a webhook receiver. Started by the first test that asks (inside a test, so a missing Debian package
/// skips that test rather than breaking the collection), stopped after the last one. Tests point Prometheus at their own
/// dispatcher with <see cref="PrometheusProcess.ScrapeAsync"/>.
/// </summary>
public sealed class EndToEndFixture : IAsyncDisposable
{
    /// <summary>The <c>service</c> label Prometheus puts on the targets and on the alerts it sends.</summary>
    public const string Service = "courier";

    /// <summary>
    /// Every rule's <c>for:</c> in the tests: the shipped rules hold some alerts for 5–15 minutes, which a test cannot
    /// wait; the expressions and windows are the shipped ones (their timing is what courier.rules.test.yml checks).
    /// </summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(1);

    /// <summary>The bound on each wait for Prometheus and Alertmanager: a few evaluations and notifications, with room for a loaded machine.</summary>
    public static readonly TimeSpan AlertBound = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebhookReceiver? _webhook;
    private AlertmanagerProcess? _alertmanager;
    private PrometheusProcess? _prometheus;

    internal WebhookReceiver Webhook => _webhook ?? throw new InvalidOperationException("call StartAsync first");

    internal AlertmanagerProcess Alertmanager => _alertmanager ?? throw new InvalidOperationException("call StartAsync first");

    internal PrometheusProcess Prometheus => _prometheus ?? throw new InvalidOperationException("call StartAsync first");

    /// <summary>
    /// The <c>alerting:</c> section of a dispatcher whose built-in watcher sends to this pipeline's Alertmanager:
    /// evaluations every second, every <c>for</c> shortened to <see cref="HoldFor"/> as in Prometheus' copy of the
    /// rules, the <c>instance</c> label and webhooks of the test's choosing.
    /// </summary>
    internal string WatcherConfig(string? instance = null, params Uri[] webhooks)
    {
        var text = $"""
            alerting:
              evaluation_interval: 1s
              hold_for: {ReadyProgram.Seconds(HoldFor)}
              alertmanager: {"{"} url: "{Alertmanager.BaseUrl}", resend_interval: 2s {"}"}

            """;
        if (instance is not null)
        {
            text += $"  instance: \"{instance}\"\n";
        }
        if (webhooks.Length > 0)
        {
            text += $"  webhooks: [ {string.Join(", ", webhooks.Select(u => $"\"{u}\""))} ]\n";
        }
        return text;
    }

    /// <summary>Starts the pipeline unless an earlier test of the class did.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _webhook ??= await WebhookReceiver.StartAsync(cancellationToken);
            _alertmanager ??= await AlertmanagerProcess.StartAsync(_webhook.Url, cancellationToken);
            _prometheus ??= await PrometheusProcess.StartAsync(_alertmanager, Path.Combine(Promtool.RulesDirectory, "courier.rules.yml"),
                Service, HoldFor, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }
        if (_alertmanager is not null)
        {
            await _alertmanager.DisposeAsync();
        }
        if (_webhook is not null)
        {
            await _webhook.DisposeAsync();
        }
        _gate.Dispose();
    }
}
