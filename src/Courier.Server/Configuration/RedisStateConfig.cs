using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>state.redis</c> section: the Redis state store.</summary>
public sealed class RedisStateConfig
{
    /// <summary>
    /// <c>configuration</c>: a StackExchange.Redis configuration string, <c>host:port[,host:port…][,option=value…]</c>
    /// (e.g. <c>redis1:6379,redis2:6379,ssl=true</c>); one with a password is better set through the environment,
    /// <c>COURIER__STATE__REDIS__CONFIGURATION</c>. Required with <c>store: redis</c>.
    /// </summary>
    [ConfigurationKeyName("configuration")]
    public string? Configuration { get; init; }

    /// <summary><c>prefix</c>: put before every key, so deployments can share one Redis (default <c>courier:</c>).</summary>
    [ConfigValue(AllowEmpty = true)]
    [ConfigurationKeyName("prefix")]
    public string? Prefix { get; init; }

    /// <summary><c>timeout</c>: bound of connecting and of each operation (default 1s); past it the job runs anyway.</summary>
    [ConfigurationKeyName("timeout")]
    public Duration? Timeout { get; init; }
}
