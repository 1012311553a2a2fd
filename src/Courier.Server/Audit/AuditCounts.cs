using Courier.Ledger;

namespace Courier.Server.Audit;

/// <summary>
/// The audit of one job type (or of all, for the total). Every accepted record is in exactly one bucket:
/// <c>Accepted = sum(Terminal) + MatchedByJobId + InRetry + Pending + Unaccounted</c>.
/// </summary>
internal sealed class AuditCounts
{
    private readonly Dictionary<string, long> _terminal = LedgerOutcomes.All.ToDictionary(o => o, _ => 0L, StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _deadLetteredByClass = new(StringComparer.Ordinal);

    /// <summary>The job type; null for the total.</summary>
    public string? Type { get; init; }

    /// <summary>Job-topic records in the range (probes left out).</summary>
    public long Accepted { get; private set; }

    /// <summary>Records with a terminal outcome, by <see cref="LedgerOutcomes"/> name (every name present).</summary>
    public IReadOnlyDictionary<string, long> Terminal => _terminal;

    /// <summary>The <c>dead_lettered</c> records by failure class (<c>unknown</c> when neither entry nor dead letter says).</summary>
    public IReadOnlyDictionary<string, long> DeadLetteredByClass => _deadLetteredByClass;

    /// <summary>Not terminal, already read by the dispatcher, and their last retry record not yet consumed.</summary>
    public long InRetry { get; private set; }

    /// <summary>Not terminal and not yet reached by the dispatcher (at or above its committed offset).</summary>
    public long Pending { get; private set; }

    /// <summary>Read and committed by the dispatcher, yet with no outcome, retry or dead letter: lost.</summary>
    public long Unaccounted { get; private set; }

    /// <summary>Job ids with more than one <c>succeeded</c> entry (ran more than once).</summary>
    public long Duplicates { get; private set; }

    /// <summary>
    /// No entry for the record's own position, but one for the same job id at another position (the compacted Kafka
    /// ledger keeps only a key's last entry): accounted for, shown apart.
    /// </summary>
    public long MatchedByJobId { get; private set; }

    /// <summary>Sum of <see cref="Terminal"/>.</summary>
    public long TerminalTotal => _terminal.Values.Sum();

    internal void AddAccepted() => Accepted++;

    internal void AddTerminal(string outcome, string? failureClass)
    {
        _terminal[outcome]++;
        if (outcome == LedgerOutcomes.DeadLettered)
        {
            var key = failureClass ?? "unknown";
            _deadLetteredByClass[key] = _deadLetteredByClass.GetValueOrDefault(key) + 1;
        }
    }

    internal void AddInRetry() => InRetry++;

    internal void AddPending() => Pending++;

    internal void AddUnaccounted() => Unaccounted++;

    internal void AddMatchedByJobId() => MatchedByJobId++;

    internal void AddDuplicate() => Duplicates++;

    /// <summary>Adds another type's counts into this one (for the total).</summary>
    internal void Add(AuditCounts other)
    {
        Accepted += other.Accepted;
        foreach (var (outcome, n) in other._terminal)
        {
            _terminal[outcome] += n;
        }
        foreach (var (failureClass, n) in other._deadLetteredByClass)
        {
            _deadLetteredByClass[failureClass] = _deadLetteredByClass.GetValueOrDefault(failureClass) + n;
        }
        InRetry += other.InRetry;
        Pending += other.Pending;
        Unaccounted += other.Unaccounted;
        Duplicates += other.Duplicates;
        MatchedByJobId += other.MatchedByJobId;
    }
}
