namespace Courier.Jobs;

/// <summary>
/// What <see cref="JobGate"/> found: the event, or why it was refused. A refusal is always a decode failure
/// (<see cref="FailureClass.Decode"/>: never retried); <see cref="Reason"/> says which kind, <see cref="Error"/>
/// exactly what is wrong. The event is kept when it decoded but broke its contract.
/// </summary>
public readonly record struct JobGateResult
{
    private JobGateResult(JobEvent? jobEvent, string? reason, string? error)
    {
        Event = jobEvent;
        Reason = reason;
        Error = error;
    }

    /// <summary>The decoded event; null when the record does not decode.</summary>
    public JobEvent? Event { get; }

    /// <summary>Null when the event passed; otherwise one of <see cref="DecodeReasons"/> (a metric and wire value).</summary>
    public string? Reason { get; }

    /// <summary>Null when the event passed; otherwise the JSON path or the contract, and the rule it breaks.</summary>
    public string? Error { get; }

    /// <summary>True when the event decoded and its params meet their contract.</summary>
    public bool Passed => Error is null;

    /// <summary>The refusal as an execution result: a decode failure with its reason. Only for a refused event.</summary>
    public JobResult ToJobResult() => Passed
        ? throw new InvalidOperationException("the event passed the gate")
        : JobResult.Undecodable(Error!, Reason!);

    internal static JobGateResult Pass(JobEvent jobEvent) => new(jobEvent, null, null);

    internal static JobGateResult Refuse(JobEvent? jobEvent, string reason, string error) => new(jobEvent, reason, error);
}
