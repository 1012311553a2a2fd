using Courier.Dispatching.Execution;

namespace Courier.Dispatching.Routing;

/// <summary>
/// A concurrency budget: a type's, or one partition's of a partitioned topic. Its limit (the rule's concurrency)
/// bounds the jobs running at once (a worker takes a running slot before it starts one); the consumer thread may hand
/// the workers up to <see cref="HandOffLimit"/> records, so that workers always find the next record ready.
/// </summary>
/// <remarks>
/// Why hand over more than the limit: with only as many records handed over as may run, workers that finish jobs
/// faster than the consumer thread is scheduled run out of records and go to sleep, and each wake-up is a context
/// switch. Measured on the 2-core bench machine with a no-op handler at concurrency 64, that cost about a third of the
/// dispatcher's CPU per record. A record handed over waits in <see cref="Waiting"/> while every running slot is
/// taken; the job that frees one starts it. With a limit of 1 the consumer thread queues records there itself, in
/// offset order (<see cref="StartsInOrder"/>), so its jobs start in that order; a rule with a start rate hands over no
/// more than its limit (see the constructor). The records handed over beyond the limit are bounded in bytes as well
/// (<see cref="MaxAheadBytes"/>): they are managed objects the consumer thread made, and 1,024 events of the largest
/// size a dispatcher accepts (4 MiB by default) would be 4 GiB of heap for one type.
/// </remarks>
internal sealed class Budget
{
    /// <summary>Most records handed over beyond the limit.</summary>
    private const int MaxAhead = 1024;

    /// <summary>
    /// Most bytes of record values handed over while more records than the limit are: one more record beyond the limit
    /// is handed over only while those handed over hold less. Small jobs keep their 1,024 records ahead (1 MiB is about
    /// 2,000 events of 500 bytes); large ones wait in the log's read-ahead (librdkafka's is native memory, bounded by
    /// <c>queued.max.messages.kbytes</c>) instead of on the managed heap.
    /// </summary>
    internal const long MaxAheadBytes = 1 << 20;

    private readonly int _limit;
    private int _running;

    /// <summary>
    /// A budget of <paramref name="limit"/> running jobs. Without <paramref name="handOffAhead"/> the consumer thread hands
    /// over no more than that: a rule with a start rate counts a start when it hands a record over, and records handed
    /// over far ahead of their run would spend its rate (shared with other dispatchers) on jobs that cannot run yet.
    /// </summary>
    public Budget(int limit, bool handOffAhead)
    {
        _limit = limit;
        HandOffLimit = handOffAhead ? limit + MaxAhead : limit;
        Waiting = new SlotWaiters(this);
    }

    /// <summary>
    /// The budget of <paramref name="rule"/> (its type's, or one partition's of its partitioned topic): its concurrency,
    /// handed over ahead unless the rule limits its start rate.
    /// </summary>
    public static Budget For(JobRule rule) => new(rule.Concurrency, handOffAhead: rule.RateLimit is null);

    /// <summary>Records handed to the workers (running, or waiting for a running slot), taken by the consumer thread.</summary>
    public int InFlight;

    /// <summary>The bytes of the values of the records counted in <see cref="InFlight"/>.</summary>
    public long InFlightBytes;

    /// <summary>Most records handed to the workers at once.</summary>
    public int HandOffLimit { get; }

    /// <summary>
    /// True when jobs must start in the order the consumer thread takes them while it hands over more than one: a
    /// limit of 1 (one job at a time, in offset order). The consumer thread then queues each record in
    /// <see cref="Waiting"/> itself, in its order, instead of handing it to a batch that workers claim concurrently.
    /// </summary>
    public bool StartsInOrder => _limit == 1 && HandOffLimit > 1;

    /// <summary>
    /// True when the consumer thread may hand over one more record: fewer than the limit are handed over, or fewer than
    /// <see cref="HandOffLimit"/> holding less than <see cref="MaxAheadBytes"/>.
    /// </summary>
    public bool HasRoom
    {
        get
        {
            var inFlight = Volatile.Read(ref InFlight);
            return inFlight < _limit || (inFlight < HandOffLimit && Volatile.Read(ref InFlightBytes) < MaxAheadBytes);
        }
    }

    /// <summary>Counts a record of <paramref name="bytes"/> handed to the workers (consumer thread).</summary>
    public void HandOver(int bytes)
    {
        Interlocked.Add(ref InFlightBytes, bytes);
        Interlocked.Increment(ref InFlight);
    }

    /// <summary>
    /// Counts a handed-over record of <paramref name="bytes"/> back: on the consumer thread when it drains the job's
    /// completion (run or given back unrun), or on a worker when the job's slot is freed early for its outcome's log write.
    /// </summary>
    public void Return(int bytes)
    {
        Interlocked.Decrement(ref InFlight);
        Interlocked.Add(ref InFlightBytes, -bytes);
    }

    /// <summary>Records handed over that wait for a running slot, in the order they were queued.</summary>
    public SlotWaiters Waiting { get; }

    /// <summary>True when a running slot is free (read after queueing a record; see <see cref="SlotWaiters"/>).</summary>
    public bool HasFreeSlot => Volatile.Read(ref _running) < _limit;

    /// <summary>Takes a running slot; false when the limit jobs run.</summary>
    public bool TryEnter()
    {
        var running = Volatile.Read(ref _running);
        while (running < _limit)
        {
            var seen = Interlocked.CompareExchange(ref _running, running + 1, running);
            if (seen == running)
            {
                return true;
            }
            running = seen;
        }
        return false;
    }

    /// <summary>Gives a running slot back and starts a waiting record in it, if any.</summary>
    public void Exit()
    {
        Interlocked.Decrement(ref _running);
        if (!Waiting.IsEmpty)
        {
            Waiting.Schedule();
        }
    }
}
