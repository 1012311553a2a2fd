namespace Courier.Cli.Rendering;

/// <summary>How one job type's jobs ended in a run, and whether the counts add up.</summary>
internal sealed record TypeSummary
{
    public required string Type { get; init; }

    /// <summary>Where the type's jobs ran: <c>in-process</c> or a runner pool's name (null if the dispatcher never saw the type).</summary>
    public string? Executor { get; init; }

    /// <summary>Jobs this run's demo workload enqueued.</summary>
    public long Enqueued { get; init; }

    /// <summary>Job-topic records the dispatcher group had not completed when the run started.</summary>
    public long BacklogAtStart { get; init; }

    /// <summary>Records waiting in the type's retry topics when the run started (retries carried over from an earlier run).</summary>
    public long CarriedOver { get; init; }

    /// <summary>Job-topic records this run was responsible for: everything past the group's position at start.</summary>
    public long Accepted { get; init; }

    public long Started { get; init; }

    public long Succeeded { get; init; }

    public long DeadLettered { get; init; }

    public IReadOnlyDictionary<FailureClass, long> DeadLetteredByClass { get; init; } = new Dictionary<FailureClass, long>();

    public long Ignored { get; init; }

    public long Retried { get; init; }

    public long Backpressured { get; init; }

    public long Executions { get; init; }

    /// <summary>Accepted (plus carried over) but not in a terminal state: still in the log, a retry tier, or in flight.</summary>
    public long Pending => Accepted + CarriedOver - Succeeded - DeadLettered - Ignored;

    /// <summary>
    /// The counts add up: nothing ended twice or without being read (pending not negative, started not above
    /// accepted) and, when the run ended idle, every accepted job was read and ended in exactly one terminal state.
    /// </summary>
    public bool Reconciled(bool idle) =>
        Pending >= 0 && Started <= Accepted && (!idle || (Pending == 0 && Started == Accepted));
}
