using Courier.Dispatching.Consuming;

namespace Courier.Dispatching.Execution;

/// <summary>
/// A running job's place in its type's and partition's budget (the rule's <c>concurrency</c>). Given back when the job
/// finishes, or earlier, once its handler is done and only its outcome-ledger entry is awaited
/// (<see cref="Ledger.OutcomeLedger"/>): the budget bounds running handlers, and a job waiting for a log write is not
/// one. Its offset still completes only when the job finishes.
/// </summary>
internal sealed class JobSlot(PartitionState partition, CompletionQueue completions)
{
    private int _freed;

    /// <summary>Gives the slot back (once; later calls do nothing) and lets the consumer thread start another job.</summary>
    public void Free()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0)
        {
            return;
        }
        partition.Route.Type.InFlight.Decrement();
        Interlocked.Decrement(ref partition.Budget.InFlight);
        partition.Budget.Exit();
        completions.SlotFreed();
    }
}
