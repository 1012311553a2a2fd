using Courier.Chaos.Verdict;

namespace Courier.Chaos;

/// <summary>What a soak did and found: the printed report, the final audit and the verdict.</summary>
public sealed record ChaosResult
{
    /// <summary>The report as printed (seed, schedule, counts, audit totals, verdict).</summary>
    public required string Report { get; init; }

    /// <summary>The final <c>courier audit --json</c>, when the soak got that far.</summary>
    public AuditResult? Audit { get; init; }

    /// <summary>The judgement.</summary>
    public required ChaosVerdict Verdict { get; init; }

    /// <summary>Faults that ran, by kind name.</summary>
    public required IReadOnlyDictionary<string, int> FaultsByKind { get; init; }

    /// <summary>Pids killed with SIGKILL, dispatchers and runners.</summary>
    public required int KilledDispatchers { get; init; }

    /// <summary>Runner processes killed with SIGKILL.</summary>
    public required int KilledRunners { get; init; }
}
