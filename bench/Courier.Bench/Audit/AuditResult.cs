namespace Courier.Bench.Audit;

/// <summary>The audit section: a million-job <c>courier audit</c> on the embedded log, timed and its memory sampled.</summary>
internal sealed record AuditResult
{
    /// <summary>Accepted job records written (and as many ledger entries, less the lost ones).</summary>
    public required int Jobs { get; init; }

    /// <summary>Job records written per second (job records and ledger entries, in batches).</summary>
    public required double WritePerSecond { get; init; }

    /// <summary>Seconds of each timed audit (sorted).</summary>
    public required IReadOnlyList<double> AuditSeconds { get; init; }

    /// <summary>Highest managed heap seen during the audits, garbage not yet collected included, above the heap before them (MiB).</summary>
    public required double PeakHeapMiB { get; init; }

    /// <summary>Highest heap left after a collection during the audits, above the same before them (MiB): live data.</summary>
    public required double PeakLiveMiB { get; init; }

    /// <summary>Highest working set of the process during the audits (MiB).</summary>
    public required double PeakWorkingSetMiB { get; init; }

    /// <summary>Bytes allocated by one audit (MiB), garbage included.</summary>
    public required double AllocatedMiB { get; init; }

    /// <summary>The audit found every job where the bench put it (a check that the timed audit did the whole job).</summary>
    public required bool Verified { get; init; }
}
