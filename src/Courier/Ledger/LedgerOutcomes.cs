namespace Courier.Ledger;

/// <summary>
/// The terminal states an outcome-ledger entry records: every job read from a job topic ends in exactly one of them
/// (a retry, backpressure wait, hold, delay or partitioner hop is not terminal and has no entry).
/// </summary>
public static class LedgerOutcomes
{
    /// <summary>The handler (or runner) succeeded.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Its failure's class is one its rule ignores: done, counted apart from success.</summary>
    public const string Ignored = "ignored";

    /// <summary>Written to the error topic (the entry's <see cref="LedgerEntry.Class"/> says why).</summary>
    public const string DeadLettered = "dead_lettered";

    /// <summary>Not run: the same job already ran after this one was created.</summary>
    public const string Deduplicated = "deduplicated";

    /// <summary>Not run: a newer root job with the same signature was seen.</summary>
    public const string Superseded = "superseded";

    /// <summary>Not run: older than its rule's claim TTL when reached.</summary>
    public const string Abandoned = "abandoned";

    /// <summary>Cancelled by an operator (before it ran, or while running).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>All of them, in the order reports show them.</summary>
    public static IReadOnlyList<string> All { get; } = [Succeeded, Ignored, DeadLettered, Deduplicated, Superseded, Abandoned, Cancelled];

    /// <summary>True for one of <see cref="All"/>.</summary>
    public static bool IsTerminal(string? outcome) => outcome is not null && All.Contains(outcome, StringComparer.Ordinal);
}
