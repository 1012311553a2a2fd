namespace Courier.Bench;

/// <summary>The Wolverine listener's no-op handler: counts the record and returns (found by type, not by scanning).</summary>
/// <remarks>Public because Wolverine's generated handler code calls it.</remarks>
public sealed class WolverineNoopHandler
{
    private readonly RecordCounter _counter;

    /// <summary>Creates the handler around the measurement's counter (a singleton of the host).</summary>
    public WolverineNoopHandler(RecordCounter counter) => _counter = counter;

    /// <summary>Handles one record.</summary>
    public void Handle(PeerJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _counter.OnHandled(job.Params.Sequence, job.Params.EnqueueTimestamp);
    }
}
