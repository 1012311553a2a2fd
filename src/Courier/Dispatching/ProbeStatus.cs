namespace Courier;

/// <summary>
/// What the synthetic probes of one job type have shown this dispatcher (<see cref="Dispatcher.GetProbes"/>):
/// see docs/operations.md, "Probes".
/// </summary>
public sealed record ProbeStatus
{
    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>The probe interval of this dispatcher's rule; null when only another dispatcher probes the type.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>Probe jobs this dispatcher wrote to the type's job topic.</summary>
    public long Sent { get; init; }

    /// <summary>When the last probe result came in; null before the first.</summary>
    public DateTimeOffset? LastRun { get; init; }

    /// <summary>When the last probe succeeded; null when none has.</summary>
    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>When the last probe failed; null when none has.</summary>
    public DateTimeOffset? LastFailure { get; init; }

    /// <summary>The last failure's message.</summary>
    public string? LastFailureMessage { get; init; }

    /// <summary>The release that ran the last failed probe.</summary>
    public string? LastFailureRelease { get; init; }

    /// <summary>The release that ran the last probe.</summary>
    public string? LastRelease { get; init; }

    /// <summary>Probes failed since the last success.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Probe results since the dispatcher started, by result.</summary>
    public long Succeeded { get; init; }

    /// <summary>Failed probes since the dispatcher started.</summary>
    public long Failed { get; init; }

    /// <summary>
    /// True when the type is probed here and no result has come in for three intervals (since the last result, or
    /// since the start): the probe path itself is broken (<c>CourierProbeMissing</c>).
    /// </summary>
    public bool Missing { get; init; }
}
