namespace Courier.Testing.Alerting;

/// <summary>
/// How often a <see cref="PrometheusProcess"/> scrapes (and how long a scrape may take) and evaluates its rules: the
/// <c>global</c> section of its <c>prometheus.yml</c>.
/// </summary>
public sealed record PrometheusIntervals(TimeSpan Scrape, TimeSpan ScrapeTimeout, TimeSpan Evaluation);
