namespace Courier.Server.Audit;

/// <summary>What <see cref="LedgerAudit.RunAsync(IJobLog, CourierOptions, string, AuditRange, CancellationToken)"/> found: per job type and in total, where every accepted job is.</summary>
internal sealed class AuditReport
{
    /// <summary>Most lost jobs and duplicates listed by default (the counts are always complete; <c>courier audit --list N</c>).</summary>
    public const int ListLimit = 1000;

    /// <summary>False when the log has no outcome ledger topic: nothing could be audited.</summary>
    public required bool Ledger { get; init; }

    /// <summary>The ledger topic audited against.</summary>
    public required string LedgerTopic { get; init; }

    /// <summary>The range audited.</summary>
    public required AuditRange Range { get; init; }

    /// <summary>One row per job type with a job topic in the log, by name.</summary>
    public IReadOnlyList<AuditCounts> Types { get; init; } = [];

    /// <summary>All types together.</summary>
    public AuditCounts Total { get; init; } = new();

    /// <summary>The first lost jobs (<see cref="ListLimit"/> unless asked otherwise), by type and position.</summary>
    public IReadOnlyList<AuditUnaccounted> Unaccounted { get; init; } = [];

    /// <summary>The first jobs that succeeded more than once (<see cref="ListLimit"/> unless asked otherwise).</summary>
    public IReadOnlyList<AuditDuplicate> Duplicates { get; init; } = [];

    /// <summary>Ledger records whose value is not an entry: counted, never fatal.</summary>
    public long UndecodableEntries { get; init; }

    /// <summary>The first undecodable ledger records: position and why.</summary>
    public IReadOnlyList<string> UndecodableSamples { get; init; } = [];

    /// <summary>True when no accepted job is lost.</summary>
    public bool Accounted => Ledger && Total.Unaccounted == 0;
}
