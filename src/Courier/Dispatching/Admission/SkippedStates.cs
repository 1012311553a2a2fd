using Courier.Ledger;

namespace Courier.Dispatching.Admission;

/// <summary>
/// The terminal states of jobs that end without running, each counted (<see cref="JobTypeStats"/>, outcome tag of
/// <c>courier.jobs.outcomes</c>) and logged: none is silent. Their names are the outcome ledger's
/// (<see cref="LedgerOutcomes"/>), so a skip's metric tag and its ledger entry say the same.
/// </summary>
internal static class SkippedStates
{
    /// <summary>The same job (by event id, <c>sha1</c> or root job) already ran after this one was created.</summary>
    public const string Deduplicated = LedgerOutcomes.Deduplicated;

    /// <summary>A newer root job with the same signature was seen: this one's work is redone by it.</summary>
    public const string Superseded = LedgerOutcomes.Superseded;

    /// <summary>Older than its rule's claim TTL (or root claim TTL) when reached.</summary>
    public const string Abandoned = LedgerOutcomes.Abandoned;

    /// <summary>Cancelled by an operator before it ran.</summary>
    public const string Cancelled = LedgerOutcomes.Cancelled;

    /// <summary>All of them, in the order stats show them.</summary>
    public static IReadOnlyList<string> All { get; } = [Deduplicated, Superseded, Abandoned, Cancelled];
}
