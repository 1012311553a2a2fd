namespace Courier.Server.Alerting;

/// <summary>
/// The state of every alert the watcher has seen: pending (the condition holds, its <c>for</c> not yet served),
/// firing, resolved (kept <see cref="WatcherSettings.ResolvedRetention"/>, then dropped). Identity is the full label
/// set. Not thread-safe: the watcher's loop is its only writer.
/// </summary>
internal sealed class AlertBook(IReadOnlyDictionary<string, string> commonLabels)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies one evaluation: every rule's matches at <paramref name="now"/>.
    /// </summary>
    public void Update(DateTimeOffset now, IEnumerable<(WatcherRule Rule, SeriesValue Match)> matches)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, match) in matches)
        {
            var labels = new Dictionary<string, string>(match.Labels, StringComparer.Ordinal);
            foreach (var (k, v) in commonLabels)
            {
                labels[k] = v;
            }
            labels["alertname"] = rule.Name;
            labels["severity"] = rule.Severity;
            var key = SeriesValue.KeyOf(labels);
            seen.Add(key);
            if (!_entries.TryGetValue(key, out var entry) || entry.ResolvedAt is not null)
            {
                entry = new Entry(rule, labels, now);
                _entries[key] = entry;
            }
            entry.Value = match.Value;
            entry.Summary = rule.Summary(match);
            entry.Description = rule.Description(match);
            if (!entry.Firing && now - entry.PendingSince >= rule.For)
            {
                entry.Firing = true;
            }
        }
        foreach (var (key, entry) in _entries.ToArray())
        {
            if (seen.Contains(key))
            {
                continue;
            }
            if (!entry.Firing || (entry.ResolvedAt is { } resolved && now - resolved >= WatcherSettings.ResolvedRetention))
            {
                _entries.Remove(key);
            }
            else if (entry.ResolvedAt is null)
            {
                entry.ResolvedAt = now;
            }
        }
    }

    /// <summary>The firing and resolved alerts (pending ones are not alerts yet), firing first, then by name and labels.</summary>
    public IReadOnlyList<Alert> Alerts() =>
        _entries.Values.Where(e => e.Firing)
            .OrderBy(e => e.ResolvedAt is null ? 0 : 1)
            .ThenBy(e => e.Rule.Name, StringComparer.Ordinal)
            .ThenBy(e => SeriesValue.KeyOf(e.Labels), StringComparer.Ordinal)
            .Select(e => new Alert
            {
                Name = e.Rule.Name,
                State = e.ResolvedAt is null ? AlertState.Firing : AlertState.Resolved,
                Labels = e.Labels,
                Summary = e.Summary,
                Description = e.Description,
                Value = e.Value,
                Since = e.PendingSince,
                ResolvedAt = e.ResolvedAt,
            })
            .ToArray();

    private sealed class Entry(WatcherRule rule, IReadOnlyDictionary<string, string> labels, DateTimeOffset pendingSince)
    {
        public WatcherRule Rule { get; } = rule;
        public IReadOnlyDictionary<string, string> Labels { get; } = labels;
        public DateTimeOffset PendingSince { get; } = pendingSince;
        public bool Firing { get; set; }
        public DateTimeOffset? ResolvedAt { get; set; }
        public double Value { get; set; }
        public string Summary { get; set; } = "";
        public string Description { get; set; } = "";
    }
}
