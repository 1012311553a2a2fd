using System.Globalization;

namespace Courier.Chaos.Verdict;

/// <summary>
/// The soak's judgement over the final audit: nothing unaccounted, nothing pending or in retry, no process exit the
/// harness did not cause, and every duplicate explained — each success but the last was written by a dispatcher the
/// harness killed with SIGKILL (its <c>host:pid</c> is one of the killed pids), the at-least-once redelivery of a job
/// done but not yet committed at the kill.
/// </summary>
public sealed class ChaosVerdict
{
    private ChaosVerdict(IReadOnlyList<string> failures, int explainedDuplicates)
    {
        Failures = failures;
        ExplainedDuplicates = explainedDuplicates;
    }

    /// <summary>What failed; empty when the soak passed.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Duplicates explained by a kill.</summary>
    public int ExplainedDuplicates { get; }

    /// <summary>True when nothing failed.</summary>
    public bool Passed => Failures.Count == 0;

    internal static ChaosVerdict Judge(AuditResult audit, IReadOnlySet<int> killedPids, IReadOnlyList<string> crashes, IReadOnlyList<string> earlier)
    {
        var failures = new List<string>(earlier);
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
        var unexplained = new List<string>();
        foreach (var duplicate in audit.Duplicates)
        {
            var earlierSuccesses = duplicate.Successes.OrderBy(s => s.At, AtOrder.Instance).SkipLast(1).ToList();
            if (earlierSuccesses.All(s => s.Pid is { } pid && killedPids.Contains(pid)))
            {
                explained++;
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
        return new ChaosVerdict(failures, explained);
    }

    /// <summary>Orders success times whether the audit prints them as ISO 8601 or as Unix milliseconds.</summary>
    private sealed class AtOrder : IComparer<string>
    {
        public static readonly AtOrder Instance = new();

        public int Compare(string? x, string? y) => Key(x).CompareTo(Key(y));

        private static long Key(string? at) =>
            long.TryParse(at, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms
            : DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUnixTimeMilliseconds()
            : long.MaxValue;
    }
}
