namespace Courier.Dispatching.Cancelling;

/// <summary>What a cancellation did (<see cref="CancelControl.CancelAsync"/>, <see cref="Dispatcher.CancelAsync"/>).</summary>
/// <param name="Record">The record written to the control topic, which every dispatcher of the log applies.</param>
/// <param name="Store">The state store it was also recorded in (<c>embedded</c>, <c>redis</c>); null when there is none or it failed.</param>
/// <param name="StoreError">Why the state store could not record it; null when it did or there is none.</param>
/// <param name="RanHere">
/// True when the job was running on the dispatcher that was asked (<see cref="Dispatcher.CancelAsync"/>) and its token
/// fired; false when it was not (it may be pending, running elsewhere, already finished, or never existed).
/// </param>
public sealed record CancelResult(CancelRecord Record, string? Store, string? StoreError, bool RanHere = false)
{
    /// <summary>What it did, in a sentence: what <c>courier cancel</c> prints and the admin API answers.</summary>
    public string Describe()
    {
        var id = Record.Id;
        var text = RanHere
            ? $"Cancelled job {id}: it was running on this dispatcher and its token fired; it ends cancelled, neither retried nor dead-lettered."
            : $"Recorded the cancellation of job {id}; will cancel it if it is reached within {Record.TtlText} (running on a dispatcher of the log, "
                + "or still pending). A job that already finished is not undone.";
        return StoreError is null ? text : text + $" The state store could not record it ({StoreError}): the control topic alone carries it.";
    }
}
