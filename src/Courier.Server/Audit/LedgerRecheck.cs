using Courier.Ledger;
using Courier.Server.Admin;

namespace Courier.Server.Audit;

/// <summary>
/// The audit's second read of the ledger, made only when the first (which kept job ids as hashes) found a
/// candidate: a lost-looking record whose job id hash is in the ledger, or a hash with two successes. It compares
/// the ids themselves, so a hash collision can neither hide a lost job nor invent a duplicate, and it reads up to
/// where the first read stopped, so both reads see the same entries. A job is a duplicate when it has successes that
/// differ (by origin, dispatcher or time); an entry written twice by one write is not.
/// </summary>
internal static class LedgerRecheck
{
    /// <summary>The exact answer: which candidate ids the ledger has, and the jobs that succeeded more than once, by type and id.</summary>
    public sealed record Result(HashSet<string> LedgerIds, List<AuditDuplicate> Duplicates);

    public static async Task<Result> RunAsync(IJobLog log, string ledgerTopic, AuditScan scan, string?[] lostIds, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var wanted = lostIds.OfType<string>().Where(id => scan.LedgerIds.ContainsKey(JobIdHash.Of(id))).ToHashSet(StringComparer.Ordinal);
        var suspects = scan.LedgerIds.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToHashSet();
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (wanted.Count == 0 && suspects.Count == 0)
        {
            return new Result(found, []);
        }
        var successes = new Dictionary<string, (string Type, List<AuditSuccess> List)>(StringComparer.Ordinal);
        await LogScanner.ScanAsync(log, ledgerTopic, record =>
        {
            if (!scan.LedgerEnds.TryGetValue(record.Partition, out var end) || record.Offset > end
                || !LedgerEntryCodec.TryDecode(record.Value.Span, out var entry, out _) || entry.JobId is not { } id)
            {
                return;
            }
            if (wanted.Contains(id))
            {
                found.Add(id);
            }
            if (entry.Outcome == LedgerOutcomes.Succeeded && suspects.Contains(JobIdHash.Of(id)) && scan.TryLocate(entry.Origin, out _, out _))
            {
                if (!successes.TryGetValue(id, out var job))
                {
                    successes[id] = job = (scan.JobTopics[entry.Origin.Topic].Type, []);
                }
                // The same entry twice (same origin, dispatcher and time) is one success written twice — a ledger
                // write retried after its delivery failed while the first copy had in fact landed, as a broker going
                // down can cause — not a job that ran twice.
                var success = new AuditSuccess(entry.Origin, entry.Dispatcher, entry.At);
                if (!job.List.Contains(success))
                {
                    job.List.Add(success);
                }
            }
        }, time, cancellationToken);
        var duplicates = successes.Where(kv => kv.Value.List.Count > 1)
            .Select(kv => new AuditDuplicate(kv.Key, kv.Value.Type, kv.Value.List))
            .OrderBy(d => d.Type, StringComparer.Ordinal).ThenBy(d => d.JobId, StringComparer.Ordinal)
            .ToList();
        return new Result(found, duplicates);
    }
}
