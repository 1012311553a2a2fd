namespace Courier.Cli.Rendering;

/// <summary>
/// How one job type's jobs ended in a run, and whether the counts add up: the dispatcher's own counts
/// (<see cref="Outcomes"/>) beside what the log says the run was responsible for.
/// </summary>
internal sealed record TypeSummary
{
    /// <summary>What the dispatcher counted for the type (all zero if it never saw the type).</summary>
    public required JobTypeStats Outcomes { get; init; }

    public string Type => Outcomes.Type;

    /// <summary>Jobs this run's demo workload enqueued.</summary>
    public long Enqueued { get; init; }

    /// <summary>Jobs this run's recurring schedules enqueued (accepted like any other; the demo's always succeed).</summary>
    public long Recurring { get; init; }

    /// <summary>Job-topic records the dispatcher group had not completed when the run started.</summary>
    public long BacklogAtStart { get; init; }

    /// <summary>Records waiting in the type's retry topics when the run started (retries carried over from an earlier run).</summary>
    public long CarriedOver { get; init; }

    /// <summary>Job-topic records this run was responsible for: everything past the group's position at start.</summary>
    public long Accepted { get; init; }

    /// <summary>Accepted (plus carried over) but not in a terminal state: still in the log, a retry tier, or in flight.</summary>
    public long Pending => Accepted + CarriedOver - Outcomes.Ended;

    /// <summary>
    /// The counts add up: nothing ended twice or without being read (pending not negative, started not above
    /// accepted) and, when the run ended idle, every accepted job was read and ended in exactly one terminal state.
    /// </summary>
    public bool Reconciled(bool idle) =>
        Pending >= 0 && Outcomes.Started <= Accepted && (!idle || (Pending == 0 && Outcomes.Started == Accepted));
}
