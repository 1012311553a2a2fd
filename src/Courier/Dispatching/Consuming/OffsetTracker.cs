namespace Courier.Dispatching.Consuming;

/// <summary>
/// Tracks records of one partition from the moment they are taken until they are done, and yields the offset that
/// may be committed: the end of the contiguous completed prefix. Jobs of a partition run concurrently and finish in
/// any order; the commit never passes a job still in flight (a crash then redelivers it, never drops it).
/// Single-threaded: owned by the dispatcher's consumer thread.
/// </summary>
internal sealed class OffsetTracker
{
    // Ring buffer of taken offsets in increasing order, with a done flag each.
    private long[] _offsets = new long[64];
    private long[] _timestamps = new long[64];
    private bool[] _done = new bool[64];
    private int _head;
    private int _count;
    private long _nextAfterLast = -1;

    /// <summary>Records at or after the committable offset: in flight, parked, or done behind one that is not.</summary>
    public int Pending => _count;

    /// <summary>
    /// The offset to commit: the first offset not yet done, or one past the last taken record when all are done;
    /// -1 when nothing was ever taken.
    /// </summary>
    public long CommittableOffset => _count > 0 ? _offsets[_head] : _nextAfterLast;

    /// <summary>Log timestamp (Unix ms) of the oldest record not yet done, or null when none is pending.</summary>
    public long? OldestPendingTimestampMs => _count > 0 ? _timestamps[_head] : null;

    /// <summary>Starts tracking a record. Offsets must increase.</summary>
    public void Add(long offset, long timestampMs = 0)
    {
        if (_nextAfterLast >= 0 && offset < _nextAfterLast)
        {
            throw new InvalidOperationException($"offset {offset} is below the last taken offset {_nextAfterLast - 1}");
        }
        if (_count == _offsets.Length)
        {
            Grow();
        }
        var slot = (_head + _count) % _offsets.Length;
        _offsets[slot] = offset;
        _timestamps[slot] = timestampMs;
        _done[slot] = false;
        _count++;
        _nextAfterLast = offset + 1;
    }

    /// <summary>Marks a record done and advances the completed prefix. Returns false if it was not tracked.</summary>
    public bool Complete(long offset)
    {
        var index = Find(offset);
        if (index < 0)
        {
            return false;
        }
        _done[(_head + index) % _offsets.Length] = true;
        while (_count > 0 && _done[_head])
        {
            _head = (_head + 1) % _offsets.Length;
            _count--;
        }
        return true;
    }

    /// <summary>
    /// Stops tracking the LAST taken record without completing it (a parked record given back on revoke): the
    /// position is rewound so the record will be read again.
    /// </summary>
    public bool RemoveLast(long offset)
    {
        if (_count == 0)
        {
            return false;
        }
        var slot = (_head + _count - 1) % _offsets.Length;
        if (_offsets[slot] != offset)
        {
            return false;
        }
        _count--;
        _nextAfterLast = offset;
        return true;
    }

    private int Find(long offset)
    {
        // Binary search over the ring: offsets are increasing from _head.
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var value = _offsets[(_head + mid) % _offsets.Length];
            if (value == offset)
            {
                return mid;
            }
            if (value < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private void Grow()
    {
        var offsets = new long[_offsets.Length * 2];
        var timestamps = new long[_offsets.Length * 2];
        var done = new bool[_offsets.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            offsets[i] = _offsets[(_head + i) % _offsets.Length];
            timestamps[i] = _timestamps[(_head + i) % _offsets.Length];
            done[i] = _done[(_head + i) % _offsets.Length];
        }
        _offsets = offsets;
        _timestamps = timestamps;
        _done = done;
        _head = 0;
    }
}
