using System.Text.Json;

namespace Courier.Chaos.Verdict;

/// <summary>The counts of one <c>courier audit --json</c> row (a type, or the total).</summary>
public sealed record AuditTotals
{
    /// <summary>Jobs accepted into the job topics in the range.</summary>
    public long Accepted { get; init; }

    /// <summary>Terminal outcomes by name (every <c>LedgerOutcomes</c> name).</summary>
    public IReadOnlyDictionary<string, long> Terminal { get; init; } = new Dictionary<string, long>();

    /// <summary>Dead letters by failure class.</summary>
    public IReadOnlyDictionary<string, long> DeadLetteredByClass { get; init; } = new Dictionary<string, long>();

    /// <summary>Jobs waiting in a retry topic.</summary>
    public long InRetry { get; init; }

    /// <summary>Jobs not reached yet (past the committed offset).</summary>
    public long Pending { get; init; }

    /// <summary>Jobs with no terminal entry, no retry and not pending: lost.</summary>
    public long Unaccounted { get; init; }

    /// <summary>Jobs that succeeded more than once.</summary>
    public long Duplicates { get; init; }

    /// <summary>Jobs accounted for by their id rather than their position.</summary>
    public long MatchedByJobId { get; init; }

    internal static AuditTotals Read(JsonElement row) => new()
    {
        Accepted = Long(row, "accepted"),
        Terminal = Counts(row, "terminal"),
        DeadLetteredByClass = Counts(row, "dead_lettered_by_class"),
        InRetry = Long(row, "in_retry"),
        Pending = Long(row, "pending"),
        Unaccounted = Long(row, "unaccounted"),
        Duplicates = Long(row, "duplicates"),
        MatchedByJobId = Long(row, "matched_by_job_id"),
    };

    private static long Long(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static Dictionary<string, long> Counts(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal);
}
