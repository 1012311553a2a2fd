using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Testing;
using Xunit;

namespace Courier.Testing.Alerting;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c> from Debian) on a free 127.0.0.1 port, with a generated
/// <c>prometheus.yml</c> in a temporary directory (also its storage): scrapes and rule evaluations every
/// <see cref="Interval"/> instead of the usual 15–60 s, a rule file given by the test, alerts sent to an
/// <see cref="AlertmanagerProcess"/>. Scrape targets are set while it runs (<see cref="ScrapeAsync"/>); each carries the
/// static label <c>service</c>, and <c>service</c> is an external label too, so alerts reaching Alertmanager carry it
/// even where a rule aggregates it away; so is <see cref="OriginLabel"/>, which marks them as Prometheus'. Disposing stops it and deletes the directory.
/// </summary>
public sealed partial class PrometheusProcess : IAsyncDisposable
{
    /// <summary>
    /// The external label naming this Prometheus on every alert it sends (<c>prometheus="courier-tests"</c>, as
    /// deploy/prometheus/prometheus.example.yml sets one): what tells its alerts from the built-in watcher's, which
    /// never carry it.
    /// </summary>
    public const string OriginLabel = "prometheus";

    /// <summary>The value of <see cref="OriginLabel"/>.</summary>
    public const string Origin = "courier-tests";

    /// <summary>The scrape interval and the rule evaluation interval (1 s: an alert can fire seconds after the metric moves).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TempDirectory _directory;
    private readonly ChildProcess _process;
    private readonly Settings _settings;
    private readonly HttpClient _http;

    private PrometheusProcess(TempDirectory directory, ChildProcess process, Uri baseUrl, Settings settings)
    {
        _directory = directory;
        _process = process;
        _settings = settings;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = baseUrl };
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Prometheus' last log lines, for failure messages.</summary>
    public string Tail(int lines = 40) => _process.Tail(lines, "prometheus");

    /// <summary>
    /// Starts Prometheus evaluating a copy of <paramref name="rulesFile"/>, sending alerts to <paramref name="alertmanager"/>,
    /// labelling targets and alerts <c>service=</c><paramref name="service"/>, and waits until <c>/-/ready</c> answers 200.
    /// With <paramref name="holdFor"/>, every rule's <c>for:</c> (how long a condition must hold before the alert fires)
    /// becomes that duration in the copy, so an alert meant to wait minutes fires in a test; the expressions stay as shipped.
    /// Skips the test (fails it on CI) when the Debian package is not installed.
    /// </summary>
    public static Task<PrometheusProcess> StartAsync(AlertmanagerProcess alertmanager, string rulesFile, string service,
        TimeSpan? holdFor = null, CancellationToken cancellationToken = default) =>
        StartAsync(alertmanager, rulesFile, service, holdFor, new PrometheusIntervals(Interval, Interval, Interval), cancellationToken);

    /// <summary>
    /// Starts Prometheus as <see cref="StartAsync(AlertmanagerProcess, string, string, TimeSpan?, CancellationToken)"/>
    /// does, scraping and evaluating at <paramref name="intervals"/> instead of <see cref="Interval"/> (the bench's
    /// time-to-detect measurement uses a production configuration's).
    /// </summary>
    public static async Task<PrometheusProcess> StartAsync(AlertmanagerProcess alertmanager, string rulesFile, string service,
        TimeSpan? holdFor, PrometheusIntervals intervals, CancellationToken cancellationToken = default)
    {
        var binary = SystemTool.Require("prometheus", "the end-to-end alerting tests", "prometheus");
        var directory = new TempDirectory("prometheus");
        try
        {
            var rules = await File.ReadAllTextAsync(rulesFile, cancellationToken);
            if (holdFor is { } hold)
            {
                rules = ForLine().Replace(rules, "${indent}for: " + Seconds(hold));
            }
            var settings = new Settings(directory.File("prometheus.yml"), directory.File("courier.rules.yml"), alertmanager.BaseUrl, service, intervals);
            await File.WriteAllTextAsync(settings.RulesFile, rules, cancellationToken);
            await File.WriteAllTextAsync(settings.ConfigFile, settings.Config([]), cancellationToken);
            var (process, baseUrl) = await ReadyProgram.StartAsync("prometheus", binary, port =>
            [
                "--config.file=" + settings.ConfigFile,
                "--storage.tsdb.path=" + directory.File("data"),
                "--web.listen-address=" + ReadyProgram.ListenAddress(port),
                "--web.enable-lifecycle", // POST /-/reload after the targets change
                "--rules.alert.resend-delay=" + Seconds(Interval), // resend firing alerts each evaluation, not each minute
            ], directory.Path, cancellationToken);
            return new PrometheusProcess(directory, process, baseUrl, settings);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="metricsUrls"/> the only scrape targets (reloading the configuration) and waits until
    /// Prometheus has scraped each of them successfully.
    /// </summary>
    public async Task ScrapeAsync(params Uri[] metricsUrls)
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(_settings.ConfigFile, _settings.Config(metricsUrls), ct);
        using (var reload = await _http.PostAsync(new Uri("/-/reload", UriKind.Relative), content: null, ct))
        {
            Assert.True(reload.IsSuccessStatusCode, $"Prometheus refused the new configuration ({(int)reload.StatusCode}):\n{Tail()}");
        }
        var wanted = metricsUrls.Select(u => u.AbsoluteUri).ToHashSet();
        var up = new HashSet<string>();
        await Eventually.TrueAsync(async () =>
        {
            using var targets = await GetDataAsync("/api/v1/targets");
            up = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Where(t => t.GetProperty("health").GetString() == "up")
                .Select(t => t.GetProperty("scrapeUrl").GetString()!)
                .ToHashSet();
            return wanted.IsSubsetOf(up);
        }, $"Prometheus scraped {string.Join(", ", wanted)}", state: () => ValueTask.FromResult($"up: {string.Join(", ", up)}\n{Tail()}"));
    }

    /// <summary>The alerts Prometheus holds now (<c>/api/v1/alerts</c>): pending and firing.</summary>
    public async Task<IReadOnlyList<PrometheusAlert>> AlertsAsync()
    {
        using var alerts = await GetDataAsync("/api/v1/alerts");
        return [.. alerts.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(PrometheusAlert.Parse)];
    }

    /// <summary>An instant query (<c>/api/v1/query</c>) of a vector: each series' labels and value.</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string promql)
    {
        using var result = await GetDataAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var data = result.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("resultType").GetString() == "vector", $"{promql} is not a vector: {data}");
        return [.. data.GetProperty("result").EnumerateArray().Select(PrometheusSample.Parse)];
    }

    private async Task<JsonDocument> GetDataAsync(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"Prometheus answered {path} with {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static string Seconds(TimeSpan duration) => ReadyProgram.Seconds(duration);

    /// <summary>A rule's <c>for:</c> line (the key alone on its line, so annotation text is never touched).</summary>
    [GeneratedRegex(@"^(?<indent>[ ]+)for:[ ]*\S+[ ]*$", RegexOptions.Multiline)]
    private static partial Regex ForLine();

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>What the generated configuration is made of.</summary>
    private sealed record Settings(string ConfigFile, string RulesFile, Uri Alertmanager, string Service, PrometheusIntervals Intervals)
    {
        public string Config(Uri[] targets)
        {
            var text = new StringBuilder($"""
                global:
                  scrape_interval: {Seconds(Intervals.Scrape)}
                  scrape_timeout: {Seconds(Intervals.ScrapeTimeout)}
                  evaluation_interval: {Seconds(Intervals.Evaluation)}
                  external_labels:
                    service: {Service}
                    {OriginLabel}: {Origin}
                rule_files: ["{RulesFile}"]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["{Alertmanager.Authority}"]
                scrape_configs:
                  - job_name: courier
                    static_configs:

                """);
            foreach (var group in targets.GroupBy(t => t.AbsolutePath))
            {
                text.Append(CultureInfo.InvariantCulture, $"""
                          - targets: [{string.Join(", ", group.Select(t => $"\"{t.Authority}\""))}]
                            labels:
                              service: {Service}
                              __metrics_path__: {group.Key}

                    """);
            }
            if (targets.Length == 0)
            {
                text.AppendLine("      - targets: []");
            }
            return text.ToString();
        }
    }
}
