using Courier.Dispatching.Outcomes;

namespace Courier.Dispatching.Probing;

/// <summary>
/// The probe results per job type, from every probe outcome the dispatcher routes (its own probes and those another
/// dispatcher of the group wrote), and the probes this one sent. Thread-safe.
/// </summary>
internal sealed class ProbeBook(IReadOnlyDictionary<string, TimeSpan> probed, TimeProvider time) : IOutcomeListener
{
    /// <summary>Results missing for this many intervals make a probe <see cref="ProbeStatus.Missing"/>.</summary>
    public const int MissingAfterIntervals = 3;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _since = time.GetUtcNow();

    /// <summary>One probe was written for <paramref name="jobType"/>.</summary>
    public void Sent(string jobType)
    {
        lock (_entries)
        {
            EntryOf(jobType).Sent++;
        }
    }

    /// <inheritdoc />
    public void Observe(in OutcomeSample sample)
    {
        if (!sample.IsProbe)
        {
            return;
        }
        lock (_entries)
        {
            var entry = EntryOf(sample.JobType);
            entry.LastRun = sample.At;
            entry.LastRelease = sample.Release;
            if (sample.Failure is null)
            {
                entry.LastSuccess = sample.At;
                entry.Succeeded++;
                entry.ConsecutiveFailures = 0;
            }
            else
            {
                entry.LastFailure = sample.At;
                entry.LastFailureMessage = sample.Message;
                entry.LastFailureRelease = sample.Release;
                entry.Failed++;
                entry.ConsecutiveFailures++;
            }
        }
    }

    /// <summary>Every probed or probe-seen type, by name.</summary>
    public IReadOnlyList<ProbeStatus> Snapshot()
    {
        var now = time.GetUtcNow();
        lock (_entries)
        {
            return probed.Keys.Concat(_entries.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(type =>
            {
                var entry = _entries.GetValueOrDefault(type) ?? new Entry();
                TimeSpan? every = probed.TryGetValue(type, out var interval) ? interval : null;
                return new ProbeStatus
                {
                    Type = type,
                    Every = every,
                    Sent = entry.Sent,
                    LastRun = entry.LastRun,
                    LastSuccess = entry.LastSuccess,
                    LastFailure = entry.LastFailure,
                    LastFailureMessage = entry.LastFailureMessage,
                    LastFailureRelease = entry.LastFailureRelease,
                    LastRelease = entry.LastRelease,
                    ConsecutiveFailures = entry.ConsecutiveFailures,
                    Succeeded = entry.Succeeded,
                    Failed = entry.Failed,
                    Missing = every is { } e && now - (entry.LastRun ?? _since) >= e * MissingAfterIntervals,
                };
            }).ToList();
        }
    }

    private Entry EntryOf(string jobType)
    {
        if (!_entries.TryGetValue(jobType, out var entry))
        {
            _entries[jobType] = entry = new Entry();
        }
        return entry;
    }

    private sealed class Entry
    {
        public long Sent;
        public DateTimeOffset? LastRun;
        public DateTimeOffset? LastSuccess;
        public DateTimeOffset? LastFailure;
        public string? LastFailureMessage;
        public string? LastFailureRelease;
        public string? LastRelease;
        public int ConsecutiveFailures;
        public long Succeeded;
        public long Failed;
    }
}
