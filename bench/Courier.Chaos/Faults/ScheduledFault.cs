namespace Courier.Chaos.Faults;

/// <summary>
/// One fault of a schedule: when (from the start of the workload), what, on which target (a dispatcher or runner
/// index, a broker id, a file, a request type) and for how long (for a kill: the pause before the restart).
/// </summary>
internal sealed record ScheduledFault(TimeSpan At, FaultKind Kind, string Target, TimeSpan Duration)
{
    /// <summary>The target as an index or id, for the kinds whose target is a number.</summary>
    public int TargetNumber => int.Parse(Target.AsSpan(Target.LastIndexOf('-') + 1), System.Globalization.CultureInfo.InvariantCulture);
}
