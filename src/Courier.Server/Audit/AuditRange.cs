namespace Courier.Server.Audit;

/// <summary>
/// What <see cref="LedgerAudit"/> audits: the job-topic records whose append time is in [<see cref="Since"/>,
/// <see cref="Until"/>), of the job types in <see cref="Types"/>. Every bound is optional; the default is every
/// record of every job type in the log.
/// </summary>
/// <param name="Since">Inclusive lower bound on the record's append time, or null for the beginning of the log.</param>
/// <param name="Until">Exclusive upper bound on the record's append time, or null for the end of the log.</param>
/// <param name="Types">Job types to audit, or null (or empty) for all.</param>
internal sealed record AuditRange(DateTimeOffset? Since = null, DateTimeOffset? Until = null, IReadOnlyCollection<string>? Types = null)
{
    /// <summary>Everything in the log.</summary>
    public static AuditRange All { get; } = new();

    /// <summary>True when a record appended at <paramref name="timestamp"/> is in the range.</summary>
    public bool Contains(DateTimeOffset timestamp) => (Since is not { } since || timestamp >= since) && (Until is not { } until || timestamp < until);

    /// <summary>True when the job type is audited.</summary>
    public bool Includes(string jobType) => Types is not { Count: > 0 } types || types.Contains(jobType, StringComparer.Ordinal);
}
