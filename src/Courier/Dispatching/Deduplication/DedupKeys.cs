using Courier.Dispatching.Admission;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// The state-store keys of deduplication and supersession, one set per job type and per <c>database</c> (the original
/// keyed them per rule, and per wiki only from 2019-09, so until then two wikis' identical jobs deduplicated each
/// other). The store adds the deployment's prefix.
/// </summary>
internal static class DedupKeys
{
    /// <summary>An event already handled: <c>event:&lt;type&gt;:&lt;db&gt;:&lt;meta.id&gt;</c>.</summary>
    public static string Event(JobEvent job) => $"event:{job.Type}:{job.Database}:{job.Meta.Id}";

    /// <summary>
    /// The event key of a replayed copy: <c>event:&lt;type&gt;:&lt;db&gt;:&lt;meta.id&gt;:replay:&lt;position&gt;</c>. A copy
    /// carries its original's event id, which was remembered when the original was dead-lettered; keyed by the
    /// replayed position, the copy runs, and a re-read of the same copy is still a duplicate.
    /// </summary>
    public static string Event(JobEvent job, string? replayOf) => replayOf is null ? Event(job) : $"{Event(job)}:replay:{replayOf}";

    /// <summary>
    /// What a read claims before its job runs (see <see cref="RunClaims"/>), so that no two readers of the same record
    /// run it at once: a first read claims its event key (a re-read, or the same event produced twice, finds it held or
    /// answered); a retry-tier record its own position, <c>run:&lt;type&gt;:&lt;db&gt;:&lt;topic&gt;:&lt;partition&gt;:&lt;offset&gt;</c>
    /// (a retry, a held failure and a wait share the attempt number, but never a position); a record that waited on
    /// someone else's run the key it waited on (<see cref="CourierHeaders.Claim"/>).
    /// </summary>
    public static string RunClaim(AdmissionRequest request)
    {
        if (request.Record.GetHeader(CourierHeaders.Claim) is { } waitedOn)
        {
            return System.Text.Encoding.UTF8.GetString(waitedOn);
        }
        var job = request.Event;
        if (!request.IsRetry)
        {
            return Event(job, request.ReplayOf);
        }
        var record = request.Record;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"run:{job.Type}:{job.Database}:{record.Topic}:{record.Partition}:{record.Offset}");
    }

    /// <summary>The last run of some work: <c>dedupe:&lt;type&gt;:&lt;db&gt;:&lt;sha1&gt;</c> (see <see cref="DedupClaim"/>).</summary>
    public static string Sha1(JobEvent job, string sha1) => $"dedupe:{job.Type}:{job.Database}:{sha1}";

    /// <summary>The newest root job of a signature: <c>root:&lt;type&gt;:&lt;db&gt;:&lt;signature&gt;</c>.</summary>
    public static string Root(JobEvent job, RootEvent root) => $"root:{job.Type}:{job.Database}:{root.Signature}";
}
