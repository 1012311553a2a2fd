using System.Globalization;

namespace Courier.Bench.Incident;

/// <summary>One round: a fresh log, runners and dispatcher, one broken deploy behind one guard.</summary>
internal sealed record IncidentRound
{
    public required string Engine { get; init; }

    public required IncidentGuard Guard { get; init; }

    public required int Round { get; init; }

    /// <summary>When the first massMessage execution failed on the broken release (UTC).</summary>
    public required DateTimeOffset FirstFailureAt { get; init; }

    /// <summary>Seconds from the first failure to the guard's decision (rollback, or pause); null: none within the limit.</summary>
    public double? DetectSeconds { get; init; }

    /// <summary>
    /// Seconds from the first failure until the decision took effect: the later of the decision and the last failing
    /// execution of a job sent to the broken release before it (the breaker's later trials aside).
    /// </summary>
    public double? StopSeconds { get; init; }

    /// <summary>Executions that failed on the broken release before it was stopped.</summary>
    public required int FailedExecutions { get; init; }

    /// <summary>The breaker's half-open trials that failed afterwards (none for the canary).</summary>
    public required int TrialFailures { get; init; }

    /// <summary>massMessage jobs enqueued.</summary>
    public required int Enqueued { get; init; }

    /// <summary>True when the backlog drained (after the fix) within the round's limit.</summary>
    public required bool Drained { get; init; }

    public required long Succeeded { get; init; }

    public required long Held { get; init; }

    public required long DeadLettered { get; init; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"detect {DetectSeconds:0.0} s, stop {StopSeconds:0.0} s, {FailedExecutions} failed executions (+{TrialFailures} trials); "
        + $"{JobTypeName}: {Enqueued} enqueued, {Succeeded} succeeded, {Held} held, {DeadLettered} dead-lettered{(Drained ? "" : ", NOT drained")}");

    private static string JobTypeName => IncidentBench.JobType;
}
