using System.Buffers.Binary;

namespace Courier.Runner.Internal.Authentication;

/// <summary>
/// The signatures a runner has accepted, each kept until its timestamp leaves the signature window (after which the
/// window check refuses a replay anyway), so a captured request cannot run a second time.
/// </summary>
/// <remarks>
/// Bounded: at <c>capacity</c> live entries a new signature is not admitted (<see cref="ReplayAdmission.Full"/>, which
/// the endpoint answers 503 <c>backpressure</c>) rather than evicting one, since an evicted signature could be replayed
/// for the rest of its window. The dispatcher retries such a job later, signed afresh, without spending an attempt.
/// An entry is the first 128 bits of the MAC (forging a collision needs the key) and two longs: about 70 bytes.
/// </remarks>
internal sealed class ReplayCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<UInt128, long> _acceptedAtMs = [];
    private readonly PriorityQueue<UInt128, long> _expiries = new();
    private readonly int _capacity;
    private readonly long _windowSeconds;
    private readonly TimeProvider _time;

    public ReplayCache(int capacity, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _windowSeconds = (long)Math.Ceiling(window.TotalSeconds);
        _time = time;
    }

    /// <summary>Signatures remembered now (expired ones included until the next admission purges them).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _acceptedAtMs.Count;
            }
        }
    }

    /// <summary>When <paramref name="signature"/> was accepted, if it was and is still remembered.</summary>
    public DateTimeOffset? AcceptedAt(string signature)
    {
        var key = Key(signature);
        lock (_lock)
        {
            return _acceptedAtMs.TryGetValue(key, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    /// <summary>
    /// Remembers a verified <paramref name="signature"/> signed at <paramref name="timestamp"/> (Unix seconds), unless
    /// it was accepted before (<paramref name="acceptedAt"/>: when) or the cache is full (<paramref name="retryAfter"/>:
    /// until the first entry expires).
    /// </summary>
    public ReplayAdmission TryAdd(string signature, long timestamp, out DateTimeOffset acceptedAt, out TimeSpan retryAfter)
    {
        var key = Key(signature);
        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        retryAfter = TimeSpan.Zero;
        lock (_lock)
        {
            Purge(nowSeconds);
            if (_acceptedAtMs.TryGetValue(key, out var ms))
            {
                acceptedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return ReplayAdmission.Replayed;
            }
            acceptedAt = now;
            if (_acceptedAtMs.Count >= _capacity)
            {
                _expiries.TryPeek(out _, out var firstExpiry);
                retryAfter = TimeSpan.FromSeconds(Math.Max(1, firstExpiry - nowSeconds));
                return ReplayAdmission.Full;
            }
            _acceptedAtMs.Add(key, now.ToUnixTimeMilliseconds());
            // Accepted while |now - timestamp| <= window in whole seconds: refused by the window from timestamp + window + 1.
            _expiries.Enqueue(key, timestamp + _windowSeconds + 1);
            return ReplayAdmission.Added;
        }
    }

    private void Purge(long nowSeconds)
    {
        while (_expiries.TryPeek(out var key, out var expiry) && expiry <= nowSeconds)
        {
            _expiries.Dequeue();
            _acceptedAtMs.Remove(key);
        }
    }

    /// <summary>The first 128 bits of the MAC of a well-formed signature (<c>vN=</c> and 64 lowercase hex digits).</summary>
    private static UInt128 Key(string signature)
    {
        Span<byte> bytes = stackalloc byte[16];
        Convert.FromHexString(signature.AsSpan(signature.IndexOf('=', StringComparison.Ordinal) + 1, 32), bytes, out _, out _);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }
}
