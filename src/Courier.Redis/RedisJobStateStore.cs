using System.Globalization;
using Courier.State;
using StackExchange.Redis;

namespace Courier.Redis;

/// <summary>
/// The state store on Redis, shared by dispatchers on any number of hosts: SET NX PX claims a key, GET / SET PX / DEL
/// read and write it, and compare-and-delete, max and increment run as Lua scripts so each is atomic on its key.
/// </summary>
/// <remarks>
/// The connection never blocks a dispatcher for long: connecting and every operation are bounded by
/// <see cref="RedisJobStateStoreOptions.OperationTimeout"/>, a command issued while Redis is unreachable fails at
/// once instead of queueing, and any client error surfaces as <see cref="JobStateStoreException"/>, so callers fail
/// open. The client reconnects by itself in the background; the same store works again once Redis is back.
/// </remarks>
public sealed class RedisJobStateStore : IJobStateStore
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _prefix;
    private int _disposed;

    private RedisJobStateStore(ConnectionMultiplexer connection, RedisJobStateStoreOptions options, string location)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _prefix = options.Prefix;
        Location = location;
    }

    /// <inheritdoc />
    public string Name => "redis";

    /// <summary>Where the keys are: the endpoints and the key prefix (never the password), for logs and stats.</summary>
    public string Location { get; }

    /// <summary>
    /// Connects to Redis as <paramref name="options"/> say. An unreachable Redis does not fail this: the store is
    /// returned, its operations throw <see cref="JobStateStoreException"/> until Redis answers.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, or the configuration string cannot be parsed.</exception>
    public static RedisJobStateStore Connect(RedisJobStateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var timeout = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = timeout;
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        // Fail a command at once while disconnected rather than queue it until the timeout: the dispatcher moves on.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        return new RedisJobStateStore(ConnectionMultiplexer.Connect(configuration), options, Describe(options));
    }

    /// <summary>
    /// Where a store of <paramref name="options"/> keeps its keys, for logs and stats: the endpoints and the key prefix,
    /// never the password or other options of the configuration string.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration string cannot be parsed.</exception>
    public static string Describe(RedisJobStateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = string.Join(",", ConfigurationOptions.Parse(options.Configuration).EndPoints.Select(e => e.ToString()));
        return $"{endpoints} (prefix {options.Prefix})";
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        return await Run("add", key, k => _database.StringSetAsync(k, value, Expiry(ttl), When.NotExists), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var value = await Run("get", key, k => _database.StringGetAsync(k), cancellationToken);
        return value.IsNull ? null : value.ToString();
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        ArgumentNullException.ThrowIfNull(value);
        await Run("set", key, k => _database.StringSetAsync(k, value, Expiry(ttl), When.Always), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (onlyIfValue is null)
        {
            return await Run("delete", key, k => _database.KeyDeleteAsync(k), cancellationToken);
        }
        var removed = await Run("delete", key, k => RedisScripts.CompareDelete.RunAsync(_database, k, onlyIfValue), cancellationToken);
        return (long)removed == 1;
    }

    /// <inheritdoc />
    public async ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        var before = await Run("max", key, k => RedisScripts.Max.RunAsync(_database, k, Number(value), Millis(ttl)), cancellationToken);
        return before.IsNull ? null : long.Parse(before.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        CheckKey(key, ttl);
        var sum = await Run("increment", key, k => RedisScripts.Increment.RunAsync(_database, k, Number(by), Millis(ttl)), cancellationToken);
        return (long)sum;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs one command on the prefixed key, turning every client error into <see cref="JobStateStoreException"/>.</summary>
    private async Task<T> Run<T>(string operation, string key, Func<RedisKey, Task<T>> command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await command(_prefix + key).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or FormatException or InvalidCastException)
        {
            throw new JobStateStoreException($"state store redis {Location}: {operation} failed: {e.Message}", e);
        }
    }

    /// <summary>A TTL as Redis takes it: whole milliseconds, rounded up so a positive TTL never becomes 0.</summary>
    private static TimeSpan Expiry(TimeSpan ttl) => TimeSpan.FromMilliseconds(Math.Ceiling(ttl.TotalMilliseconds));

    private static RedisValue Millis(TimeSpan ttl) => (long)Math.Ceiling(ttl.TotalMilliseconds);

    private static RedisValue Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void CheckKey(string key, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
    }
}
