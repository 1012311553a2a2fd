using Courier.Redis;
using Courier.Server.Configuration;
using Courier.Server.Data;

namespace Courier.Server.Hosting;

/// <summary>
/// The state store a service runs with (shared, expiring state of deduplication, supersession, claims, recurring jobs,
/// cancellations and rate limits): the embedded one in <c>&lt;data&gt;/state.db</c>, whatever the engine, or Redis.
/// Chosen from the configuration's <c>state</c> section (<see cref="FromConfig"/>).
/// </summary>
public sealed class StateStoreChoice
{
    private readonly EmbeddedStateConfig? _embedded;
    private readonly RedisJobStateStoreOptions? _redis;

    private StateStoreChoice(StateStoreKind kind, string location, EmbeddedStateConfig? embedded, RedisJobStateStoreOptions? redis)
    {
        Kind = kind;
        Location = location;
        _embedded = embedded;
        _redis = redis;
    }

    /// <summary>Which store.</summary>
    public StateStoreKind Kind { get; }

    /// <summary>The store's name as in logs, metrics and <c>state.store</c>: <c>embedded</c> or <c>redis</c>.</summary>
    public string Name => Kind == StateStoreKind.Redis ? "redis" : "embedded";

    /// <summary>Where the keys are: the SQLite file's full path, or the Redis endpoints and key prefix (never a password).</summary>
    public string Location { get; }

    /// <summary>One line for people: <c>embedded /data/state.db</c>, <c>redis 10.0.0.5:6379 (prefix courier:)</c>.</summary>
    public string Describe() => $"{Name} {Location}";

    /// <summary>
    /// The warning for a service on <paramref name="engine"/> with this store, or null: the embedded store is one file
    /// on one host, so Kafka dispatchers on other hosts would not see each other's claims.
    /// </summary>
    public string? WarningFor(JobLogEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Kind == StateStoreKind.Embedded && engine.Kind == EngineKind.Kafka && !engine.IsDevCluster
            ? $"The state store is embedded ({Location}) with the Kafka engine: fine for one dispatcher host; dispatchers on several hosts need redis (state.store: redis)"
            : null;
    }

    /// <summary>The configuration's <c>state</c>: Redis when <c>store: redis</c>, else the embedded store (in <paramref name="data"/> unless a path is set).</summary>
    public static StateStoreChoice FromConfig(CourierConfig? config, CourierDataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var state = config?.State;
        if (state is { Store: StateStoreKind.Redis, Redis.Configuration: { } configuration })
        {
            var options = new RedisJobStateStoreOptions { Configuration = configuration };
            if (state.Redis.Prefix is { } prefix)
            {
                options.Prefix = prefix;
            }
            if (state.Redis.Timeout is { } timeout)
            {
                options.OperationTimeout = timeout.TimeSpan;
            }
            return new StateStoreChoice(StateStoreKind.Redis, RedisJobStateStore.Describe(options), null, options);
        }
        var embedded = state?.Embedded ?? new EmbeddedStateConfig();
        return new StateStoreChoice(StateStoreKind.Embedded, embedded.Path ?? data.StatePath, embedded, null);
    }

    /// <summary>
    /// Registers this store as the state store of <paramref name="builder"/>. Call it before the engine's
    /// <see cref="JobLogEngine.Use"/>: the embedded log registers its own default store only when none is registered.
    /// </summary>
    public CourierBuilder Use(CourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (_redis is { } redis)
        {
            return builder.UseRedisState(o =>
            {
                o.Configuration = redis.Configuration;
                o.Prefix = redis.Prefix;
                o.OperationTimeout = redis.OperationTimeout;
            });
        }
        return builder.UseSqliteState(Location, o =>
        {
            if (_embedded?.MaxEntries is { } maxEntries)
            {
                o.MaxEntries = maxEntries;
            }
        });
    }
}
