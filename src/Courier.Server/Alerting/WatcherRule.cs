namespace Courier.Server.Alerting;

/// <summary>
/// One alert the watcher evaluates, the twin of a shipped Prometheus rule: its name, severity and <c>for</c> duration,
/// the condition (the label sets it holds for now, each with its value), and the summary and description filled
/// with those labels and value.
/// </summary>
internal sealed record WatcherRule(
    string Name,
    string Severity,
    TimeSpan For,
    Func<SampleHistory, IEnumerable<SeriesValue>> Evaluate,
    Func<SeriesValue, string> Summary,
    Func<SeriesValue, string> Description);
