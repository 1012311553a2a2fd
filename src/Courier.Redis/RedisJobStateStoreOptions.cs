namespace Courier.Redis;

/// <summary>Settings of the Redis state store (<see cref="RedisJobStateStore"/>).</summary>
public sealed class RedisJobStateStoreOptions
{
    /// <summary>The default <see cref="Prefix"/>.</summary>
    public const string DefaultPrefix = "courier:";

    /// <summary>
    /// A StackExchange.Redis configuration string: <c>host:port</c>, optionally more endpoints and options
    /// (<c>127.0.0.1:6379,password=…,ssl=true</c>). Required.
    /// </summary>
    public string Configuration { get; set; } = "";

    /// <summary>
    /// Put before every key, so deployments (or test runs) can share one Redis. Default <c>courier:</c>.
    /// </summary>
    public string Prefix { get; set; } = DefaultPrefix;

    /// <summary>
    /// How long connecting and each operation may take before it fails with a <c>JobStateStoreException</c> (and the
    /// caller fails open). Default 1 s: a job waits at most this long on an unreachable store.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException("the Redis configuration (e.g. 127.0.0.1:6379) is required", nameof(Configuration));
        }
        ArgumentNullException.ThrowIfNull(Prefix);
        if (OperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"operation timeout must be positive, got {OperationTimeout}", nameof(OperationTimeout));
        }
    }
}
