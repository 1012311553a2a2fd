using Courier.Dispatching.Execution;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Routing;
using Courier.Ledger;

namespace Courier.Dispatching.Ledger;

/// <summary>
/// Appends a <see cref="LedgerEntry"/> for each terminal outcome to the outcome ledger topic
/// (<see cref="TopicNames.OutcomeLedgerTopic"/>) and tells the job's worker when it is durable, so the job's offset
/// completes only after its entry is in the log (<see cref="DispatcherOptions.OutcomeLedger"/>).
/// </summary>
/// <remarks>
/// Group commit: entries are not written one produce call each. While one batch is being written, the entries that
/// arrive collect into the next, which is written as soon as the first is acknowledged; each worker waits for the
/// batch its entry went into. One produce call per batch keeps the cost per job small when many run at once, and a
/// lone job waits for one write, as it would without batching. A failed write is retried with back-off by the
/// <see cref="DurableProducer"/> and never dropped; when shutdown gives up, every waiter hears false and its job's
/// offset stays uncommitted (the job is redelivered, and its entry may then be written twice — the audit counts
/// such duplicates apart).
/// </remarks>
internal sealed class OutcomeLedger(DurableProducer durable, string topic, TimeProvider time)
{
    /// <summary>The most entries written in one produce call; more wait for the next batch.</summary>
    private const int MaxBatch = 4096;

    /// <summary>
    /// Most entries awaited by jobs that gave their budget slot back. A job waiting for its entry runs no handler, so
    /// it need not hold a slot — else a type's rate would be bounded by <c>concurrency ÷ write time</c> (5 ms and more
    /// on Kafka) — but past this bound (the log slow or failing) jobs keep their slots, and no more handlers start
    /// than the rules allow while outcomes cannot be recorded.
    /// </summary>
    private const int MaxAwaitedOutsideSlots = 4096;

    private readonly Lock _lock = new();
    private List<Pending> _collecting = [];
    private bool _writing;
    private int _awaited;

    /// <summary>
    /// The dispatcher instance that writes this process's entries: <c>host:pid</c> (<see cref="LedgerEntry.Dispatcher"/>).
    /// </summary>
    public static string ThisDispatcher { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// Appends the entry of <paramref name="record"/>'s terminal <paramref name="outcome"/> (one of
    /// <see cref="LedgerOutcomes.All"/>); <paramref name="failure"/> is its class for ignored and dead-lettered jobs.
    /// True once the entry is durable, false when shutdown gave up writing it. The job's <paramref name="slot"/> is given
    /// back meanwhile, unless <see cref="MaxAwaitedOutsideSlots"/> entries are awaited already.
    /// </summary>
    public Task<bool> AppendAsync(LogRecord record, TypeState type, JobEvent? jobEvent, string outcome, FailureClass? failure, int attempt,
        string release, JobSlot slot)
    {
        var entry = new LedgerEntry
        {
            JobId = jobEvent?.Meta.Id,
            Type = type.Name,
            Origin = RecordHeaders.OriginPosition(record),
            Outcome = outcome,
            Class = failure?.ToWireName(),
            Attempt = attempt,
            Release = release,
            Dispatcher = ThisDispatcher,
            ReplayOf = RecordHeaders.Text(record, CourierHeaders.ReplayOf),
            At = time.GetUtcNow(),
        };
        var pending = new Pending(new OutgoingRecord(topic, entry.Key, LedgerEntryCodec.Encode(entry)), entry.JobId);
        if (Interlocked.Increment(ref _awaited) <= MaxAwaitedOutsideSlots)
        {
            slot.Free();
        }
        lock (_lock)
        {
            _collecting.Add(pending);
            if (_writing)
            {
                return pending.Task; // the batch being written now is followed by the one this joined
            }
            _writing = true;
        }
        _ = Task.Run(WriteBatchesAsync);
        return pending.Task;
    }

    /// <summary>Writes what has collected, batch after batch, until nothing is left.</summary>
    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            // Behind the work already queued on the thread pool, which includes other workers about to append: they
            // join this batch instead of each starting the next one. No timer: a lone entry is written at once.
            await Task.Yield();
            List<Pending> batch;
            lock (_lock)
            {
                if (_collecting.Count == 0)
                {
                    _writing = false;
                    return;
                }
                if (_collecting.Count <= MaxBatch)
                {
                    batch = _collecting;
                    _collecting = [];
                }
                else
                {
                    batch = _collecting.GetRange(0, MaxBatch);
                    _collecting.RemoveRange(0, MaxBatch);
                }
            }
            var durableNow = await durable.ProduceAsync(batch.ConvertAll(p => p.Record), "ledger",
                batch.Count == 1 ? batch[0].JobId : $"{batch[0].JobId ?? "(undecodable)"} and {batch.Count - 1} more");
            Interlocked.Add(ref _awaited, -batch.Count);
            foreach (var pending in batch)
            {
                pending.TrySetResult(durableNow);
            }
        }
    }

    /// <summary>An entry on its way to the log, and its job's worker waiting for it to be durable (one object a job).</summary>
    private sealed class Pending(OutgoingRecord record, string? jobId)
        : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public OutgoingRecord Record { get; } = record;

        public string? JobId { get; } = jobId;
    }
}
