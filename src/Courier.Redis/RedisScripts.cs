using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Courier.Redis;

/// <summary>
/// The store's Lua scripts, each run atomically by Redis. They are sent by hash (EVALSHA); a Redis that does not know a
/// hash (first use, or restarted since) answers NOSCRIPT and the script is sent once in full (EVAL), which caches it.
/// </summary>
internal sealed class RedisScripts
{
    /// <summary>KEYS[1] deleted only while it holds ARGV[1]: a claim given back by its owner only.</summary>
    public static readonly RedisScripts CompareDelete = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """);

    /// <summary>
    /// Keeps the larger of KEYS[1] and ARGV[1] with expiry ARGV[2] ms; returns the value before (nil when none). The
    /// numbers are compared as decimal strings, exactly: Lua's numbers are doubles and would round longs above 2^53.
    /// </summary>
    public static readonly RedisScripts Max = new("""
        local function less(a, b)
          local na, nb = a:sub(1, 1) == '-', b:sub(1, 1) == '-'
          if na ~= nb then return na end
          if na then a, b = b:sub(2), a:sub(2) end
          if #a ~= #b then return #a < #b end
          return a < b
        end
        local before = redis.call('GET', KEYS[1])
        local kept = ARGV[1]
        if before and less(ARGV[1], before) then kept = before end
        redis.call('SET', KEYS[1], kept, 'PX', ARGV[2])
        return before
        """);

    /// <summary>
    /// Adds ARGV[1] to KEYS[1]; a key this call creates expires after ARGV[2] ms, an existing one keeps its expiry (a
    /// fixed window, not one that slides with every hit).
    /// </summary>
    public static readonly RedisScripts Increment = new("""
        local created = redis.call('EXISTS', KEYS[1]) == 0
        local sum = redis.call('INCRBY', KEYS[1], ARGV[1])
        if created then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return sum
        """);

    private readonly string _source;
    private readonly byte[] _hash;

    private RedisScripts(string source)
    {
        _source = source;
        // SHA-1 is how Redis names a cached script (EVALSHA), not a security measure.
#pragma warning disable CA5350
        _hash = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350
    }

    /// <summary>Runs the script on <paramref name="key"/> with <paramref name="arguments"/>.</summary>
    public async Task<RedisResult> RunAsync(IDatabaseAsync database, RedisKey key, params RedisValue[] arguments)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_hash, [key], arguments).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(_source, [key], arguments).ConfigureAwait(false);
        }
    }
}
