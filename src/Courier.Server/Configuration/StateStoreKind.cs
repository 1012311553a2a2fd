namespace Courier.Server.Configuration;

/// <summary>The state store named by <c>state.store</c> in the configuration file.</summary>
public enum StateStoreKind
{
    /// <summary><c>embedded</c>: a SQLite file in the data directory (the default), for dispatchers on one host.</summary>
    Embedded,

    /// <summary><c>redis</c>: Redis at <c>state.redis.configuration</c>, shared by dispatchers on any number of hosts.</summary>
    Redis,
}
