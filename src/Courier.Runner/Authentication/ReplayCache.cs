using System.Buffers.Binary;

namespace Courier.Runner.Authentication;

/// <summary>
/// The signatures a runner has accepted, each kept until its timestamp leaves the signature window (after which the
/// window check refuses a replay anyway), so a captured request cannot run a second time.
/// </summary>
/// <remarks>
/// Bounded: at <c>capacity</c> live entries a new signature is not admitted (<see cref="ReplayAdmission.Full"/>, which
/// the endpoint answers 503 <c>backpressure</c>) rather than evicting one, since an evicted signature could be replayed
/// for the rest of its window. The dispatcher retries such a job later, signed afresh, without spending an attempt.
/// An entry is the first 128 bits of the MAC (forging a collision needs the key) and its acceptance time.
/// <para>
/// Every request passes through here, so the cache is split into <see cref="ShardCount"/> shards by key, each with its
/// own lock, and entries expire by the second they leave the window (<see cref="ReplayShard"/>), not through one heap
/// of every entry: a single lock and heap cost a runner about 12 µs of CPU per request at 30,000 requests a second,
/// most of it threads spinning on the lock. The capacity is one count over all shards, so it holds exactly.
/// </para>
/// </remarks>
internal sealed class ReplayCache
{
    /// <summary>How many independently locked parts the cache has (a power of two).</summary>
    public const int ShardCount = 16;

    private readonly ReplayShard[] _shards = new ReplayShard[ShardCount];
    private readonly int _capacity;
    private readonly long _windowSeconds;
    private readonly TimeProvider _time;
    private int _count;

    public ReplayCache(int capacity, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _windowSeconds = (long)Math.Ceiling(window.TotalSeconds);
        _time = time;
        for (var i = 0; i < ShardCount; i++)
        {
            _shards[i] = new ReplayShard();
        }
    }

    /// <summary>Signatures remembered now, all inside the window (for diagnostics: it purges every shard).</summary>
    public int Count
    {
        get
        {
            PurgeAll(_time.GetUtcNow().ToUnixTimeSeconds());
            return Volatile.Read(ref _count);
        }
    }

    /// <summary>When <paramref name="signature"/> was accepted, if it was and is still remembered.</summary>
    public DateTimeOffset? AcceptedAt(string signature)
    {
        var key = Key(signature);
        var shard = Shard(key);
        Interlocked.Add(ref _count, -shard.Purge(_time.GetUtcNow().ToUnixTimeSeconds()));
        return shard.AcceptedAtMs(key) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
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
        // Accepted while |now - timestamp| <= window in whole seconds: refused by the window from timestamp + window + 1.
        var expiry = timestamp + _windowSeconds + 1;
        var shard = Shard(key);
        Interlocked.Add(ref _count, -shard.Purge(nowSeconds));
        if (!Reserve() && !ReserveAfterPurgingAll(nowSeconds))
        {
            if (shard.AcceptedAtMs(key) is { } seen)
            {
                acceptedAt = DateTimeOffset.FromUnixTimeMilliseconds(seen);
                return ReplayAdmission.Replayed;
            }
            acceptedAt = now;
            retryAfter = TimeSpan.FromSeconds(Math.Max(1, FirstExpiry() - nowSeconds));
            return ReplayAdmission.Full;
        }
        if (shard.TryAdd(key, now.ToUnixTimeMilliseconds(), expiry, out var acceptedAtMs))
        {
            acceptedAt = now;
            return ReplayAdmission.Added;
        }
        Interlocked.Decrement(ref _count); // the reservation was not used
        acceptedAt = DateTimeOffset.FromUnixTimeMilliseconds(acceptedAtMs);
        return ReplayAdmission.Replayed;
    }

    /// <summary>Takes one place of the capacity, if one is free.</summary>
    private bool Reserve()
    {
        if (Interlocked.Increment(ref _count) <= _capacity)
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>When full, other shards may hold expired entries no request has purged yet: purge them all, then try again.</summary>
    private bool ReserveAfterPurgingAll(long nowSeconds)
    {
        PurgeAll(nowSeconds);
        return Reserve();
    }

    private void PurgeAll(long nowSeconds)
    {
        foreach (var shard in _shards)
        {
            Interlocked.Add(ref _count, -shard.Purge(nowSeconds));
        }
    }

    private long FirstExpiry()
    {
        var first = long.MaxValue;
        foreach (var shard in _shards)
        {
            first = Math.Min(first, shard.FirstExpiry() ?? long.MaxValue);
        }
        return first;
    }

    private ReplayShard Shard(UInt128 key) => _shards[(int)(ulong)key & (ShardCount - 1)];

    /// <summary>The first 128 bits of the MAC of a well-formed signature (<c>vN=</c> and 64 lowercase hex digits).</summary>
    private static UInt128 Key(string signature)
    {
        Span<byte> bytes = stackalloc byte[16];
        Convert.FromHexString(signature.AsSpan(signature.IndexOf('=', StringComparison.Ordinal) + 1, 32), bytes, out _, out _);
        return BinaryPrimitives.ReadUInt128LittleEndian(bytes);
    }
}
