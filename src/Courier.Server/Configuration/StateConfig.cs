using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>state</c> section of the configuration file: where the dispatcher keeps the shared, expiring state of its
/// scheduling semantics (deduplication, supersession, claims, recurring jobs, cancellations, rate limits).
/// </summary>
public sealed class StateConfig
{
    /// <summary><c>store</c>: <c>embedded</c> (default) or <c>redis</c>.</summary>
    [ConfigurationKeyName("store")]
    public StateStoreKind Store { get; init; } = StateStoreKind.Embedded;

    /// <summary><c>embedded</c>: the embedded store's file and bound (only with <c>store: embedded</c>).</summary>
    [ConfigurationKeyName("embedded")]
    public EmbeddedStateConfig? Embedded { get; init; }

    /// <summary><c>redis</c>: the Redis server and key prefix (required with <c>store: redis</c>).</summary>
    [ConfigurationKeyName("redis")]
    public RedisStateConfig? Redis { get; init; }
}
