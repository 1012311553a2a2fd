namespace Courier.Runner.Authentication;

/// <summary>
/// One lock's worth of <see cref="ReplayCache"/>: accepted keys with their acceptance time, and the same keys grouped by
/// the second they expire, so a purge drops whole seconds and the heap it keeps orders only the distinct seconds
/// (a few hundred at most), never every entry.
/// </summary>
internal sealed class ReplayShard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, long> _acceptedAtMs = [];
    private readonly Dictionary<long, List<UInt128>> _byExpiry = [];
    private readonly PriorityQueue<long, long> _expiries = new();

    /// <summary>When <paramref name="key"/> was accepted (Unix milliseconds), if it is remembered.</summary>
    public long? AcceptedAtMs(UInt128 key)
    {
        lock (_lock)
        {
            return _acceptedAtMs.TryGetValue(key, out var ms) ? ms : null;
        }
    }

    /// <summary>
    /// Remembers <paramref name="key"/> until <paramref name="expiry"/> (Unix seconds); false, with when it was accepted,
    /// if it already is remembered.
    /// </summary>
    public bool TryAdd(UInt128 key, long acceptedAtMs, long expiry, out long firstAcceptedAtMs)
    {
        lock (_lock)
        {
            if (!_acceptedAtMs.TryAdd(key, acceptedAtMs))
            {
                firstAcceptedAtMs = _acceptedAtMs[key];
                return false;
            }
            if (!_byExpiry.TryGetValue(expiry, out var keys))
            {
                keys = [];
                _byExpiry.Add(expiry, keys);
                _expiries.Enqueue(expiry, expiry);
            }
            keys.Add(key);
            firstAcceptedAtMs = acceptedAtMs;
            return true;
        }
    }

    /// <summary>Forgets every key whose expiry second has come; how many were forgotten.</summary>
    public int Purge(long nowSeconds)
    {
        lock (_lock)
        {
            var purged = 0;
            while (_expiries.TryPeek(out var expiry, out _) && expiry <= nowSeconds)
            {
                _expiries.Dequeue();
                if (_byExpiry.Remove(expiry, out var keys))
                {
                    foreach (var key in keys)
                    {
                        _acceptedAtMs.Remove(key);
                    }
                    purged += keys.Count;
                }
            }
            return purged;
        }
    }

    /// <summary>The earliest second at which a key here expires, if any is remembered.</summary>
    public long? FirstExpiry()
    {
        lock (_lock)
        {
            return _expiries.TryPeek(out var expiry, out _) ? expiry : null;
        }
    }
}
