using Courier.Dispatching.Consuming;

namespace Courier.Dispatching.Execution;

/// <summary>
/// A running job's place in its type's and partition's budget (the rule's <c>concurrency</c>). Given back when the job
/// finishes, or earlier, once its handler is done and only its outcome-ledger entry is awaited
/// (<see cref="Ledger.OutcomeLedger"/>): the budget bounds running handlers, and a job waiting for a log write is not
/// one. Its offset still completes only when the job finishes.
/// </summary>
/// <remarks>
/// Slots are pooled (<see cref="Pool"/>): the runner rents one for each job and returns it when the job has finished,
/// after which nothing may hold it (the ledger frees it, if at all, while the job is still running).
/// </remarks>
internal sealed class JobSlot
{
    private PartitionState? _partition;
    private int _bytes; // the record's value, counted in its budget's bytes handed over
    private CompletionQueue? _completions;
    private int _freed;

    /// <summary>Free slots of one runner, kept on the worker threads that gave them back (<see cref="ThreadCachePool{T}"/>).</summary>
    internal sealed class Pool
    {
        private readonly ThreadCachePool<JobSlot> _free = new();

        /// <summary>
        /// A slot of <paramref name="partition"/>'s budget for a record of <paramref name="bytes"/>, held by the caller
        /// until it <see cref="Return"/>s it.
        /// </summary>
        public JobSlot Rent(PartitionState partition, int bytes, CompletionQueue completions)
        {
            if (!_free.TryRent(out var slot))
            {
                slot = new JobSlot();
            }
            slot._partition = partition;
            slot._bytes = bytes;
            slot._completions = completions;
            slot._freed = 0;
            return slot;
        }

        /// <summary>
        /// Takes back a slot whose job has finished, freeing its running slot first if it was not. Returns the bytes its
        /// record still counts in the budget's records handed over, which the job's completion gives back on the consumer
        /// thread (<see cref="CompletionQueue.Drain"/>), or -1 when an earlier <see cref="Free()"/> gave them back.
        /// That free does not count towards waking the consumer thread: the job's completion, queued right after, does.
        /// </summary>
        public int Return(JobSlot slot)
        {
            var handedOverBytes = slot.Free(early: false) ? slot._bytes : -1;
            slot._partition = null;
            slot._completions = null;
            _free.Return(slot);
            return handedOverBytes;
        }
    }

    /// <summary>
    /// Gives the slot back before the job finishes (once; later calls do nothing): its running slot, and its count among
    /// the records handed over, so the consumer thread may hand over and start another job while this one's outcome is
    /// awaited.
    /// </summary>
    public void Free() => Free(early: true);

    /// <summary>
    /// Frees the running slot (once); early, also the record's count among those handed over, which otherwise the job's
    /// completion gives back on the consumer thread. False when it was freed already.
    /// </summary>
    private bool Free(bool early)
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0)
        {
            return false;
        }
        var partition = _partition!;
        partition.Route.Type.InFlight.Decrement();
        partition.Budget.Exit();
        if (early)
        {
            partition.Budget.Return(_bytes);
            _completions!.SlotFreed();
        }
        return true;
    }
}
