using System.Collections.Concurrent;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// The cancellations this dispatcher has read from the control topic (or made itself), by job id, until they expire:
/// what lets it end a pending job <c>cancelled</c> without a state store. Bounded: past <see cref="Capacity"/> entries
/// the oldest is forgotten (counted in <see cref="Forgotten"/>), and a job cancelled that long ago is then only
/// found in the state store.
/// </summary>
internal sealed class CancelBook(TimeProvider time)
{
    /// <summary>Most cancellations kept in memory.</summary>
    public const int Capacity = 10_000;

    private readonly Lock _lock = new();
    /// <summary>Read without the lock (every job asks); written under it, with <see cref="_order"/>.</summary>
    private readonly ConcurrentDictionary<string, CancelRecord> _byId = new(StringComparer.Ordinal);
    private readonly Queue<CancelRecord> _order = new();
    /// <summary>Entries in <see cref="_byId"/>: while none is kept, a job's look-up hashes nothing.</summary>
    private int _count;

    /// <summary>Unexpired cancellations dropped to keep the bound.</summary>
    public long Forgotten { get; private set; }

    /// <summary>Keeps <paramref name="record"/>; false when it had expired or was kept already (read again).</summary>
    public bool Add(CancelRecord record)
    {
        var now = time.GetUtcNow();
        if (record.Expires <= now)
        {
            return false;
        }
        lock (_lock)
        {
            if (_byId.TryGetValue(record.Id, out var known) && known == record)
            {
                return false;
            }
            _byId[record.Id] = record;
            _order.Enqueue(record);
            Volatile.Write(ref _count, _byId.Count);
            while (_order.Count > Capacity || (_order.TryPeek(out var oldest) && oldest.Expires <= now))
            {
                var dropped = _order.Dequeue();
                if (_byId.TryRemove(new KeyValuePair<string, CancelRecord>(dropped.Id, dropped)))
                {
                    if (dropped.Expires > now)
                    {
                        Forgotten++;
                    }
                }
            }
            Volatile.Write(ref _count, _byId.Count);
        }
        return true;
    }

    /// <summary>The unexpired cancellation of job <paramref name="id"/>, or null.</summary>
    public CancelRecord? Find(string id) =>
        Volatile.Read(ref _count) != 0 && _byId.TryGetValue(id, out var record) && record.Expires > time.GetUtcNow() ? record : null;

    /// <summary>
    /// The unexpired cancellation of the job of <paramref name="job"/>, or null; its id is read only when the book
    /// holds a cancellation (a decoded job's id is made a string on first use).
    /// </summary>
    public CancelRecord? Find(JobMeta job) => Volatile.Read(ref _count) == 0 ? null : Find(job.Id);
}
