using Courier.Redis;
using Courier.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier;

/// <summary>Chooses the Redis state store for <c>services.AddCourier()</c>.</summary>
public static class RedisCourierBuilderExtensions
{
    /// <summary>
    /// Uses the Redis state store (<see cref="RedisJobStateStore"/>), configured by <paramref name="configure"/>, in place
    /// of any store registered before (the embedded one <c>UseSqlite</c> adds); a store registered with TryAdd after
    /// this call does not replace it either. It connects when the dispatcher is first created.
    /// </summary>
    public static CourierBuilder UseRedisState(this CourierBuilder builder, Action<RedisJobStateStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.RemoveAll<IJobStateStore>();
        builder.Services.AddSingleton<IJobStateStore>(_ =>
        {
            var options = new RedisJobStateStoreOptions();
            configure(options);
            return RedisJobStateStore.Connect(options);
        });
        return builder;
    }
}
