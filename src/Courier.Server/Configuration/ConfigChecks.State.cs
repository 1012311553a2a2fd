namespace Courier.Server.Configuration;

/// <summary>The <c>state</c> section: the settings of the store chosen, and only those.</summary>
internal sealed partial class ConfigChecks
{
    private void State(StateConfig state, ConfigAt at)
    {
        if (state.Embedded is { } embedded)
        {
            embedded.Path = FilePath(embedded.Path);
        }
        switch (state.Store)
        {
            case StateStoreKind.Redis when state.Redis?.Configuration is null:
                throw new CourierConfigException(file, at["redis"]["configuration"].Path,
                    "is required when store is redis (host:port[,host:port…][,option=value…], e.g. 127.0.0.1:6379)", order.LineOf(at["store"].Key));
            case StateStoreKind.Redis when state.Embedded is not null:
                throw Error(at["embedded"], "holds settings of the embedded store, but store is redis");
            case StateStoreKind.Embedded when state.Redis is not null:
                throw Error(at["redis"], "holds settings of the Redis store, but store is "
                    + (configuration[at["store"].Key] is null ? "embedded (the default); add store: redis" : "embedded"));
        }
        // Options are never echoed: they may hold a password.
        if (state.Redis?.Configuration?.Split(',')[0].Trim() is { } first && (first.Contains('=', StringComparison.Ordinal) || !IsHostPort(first)))
        {
            throw Error(at["redis"]["configuration"], "must start with a host:port (e.g. 127.0.0.1:6379[,password=…])"
                + (first.Contains('=', StringComparison.Ordinal) ? ", got an option=value first" : $", got '{first}'"));
        }
    }
}
