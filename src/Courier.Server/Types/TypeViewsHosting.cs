using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Server.Types;

/// <summary>Registers <see cref="ITypeViews"/> on the dispatcher service, with the history and its sampler.</summary>
internal static class TypeViewsHosting
{
    /// <summary>
    /// Adds <see cref="TypeHistory"/> (10 s samples, one hour) with its hosted sampler, the shared lag reads and
    /// <see cref="ITypeViews"/>, all on the container's <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddTypeViews(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new TypeHistory(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TypeLag(sp.GetRequiredService<Dispatcher>(),
            sp.GetRequiredService<IOptions<CourierOptions>>().Value.Topics, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITypeViews, TypeViews>();
        services.AddHostedService(sp =>
        {
            var dispatcher = sp.GetRequiredService<Dispatcher>();
            var lag = sp.GetRequiredService<TypeLag>();
            return new TypeHistorySampler(sp.GetRequiredService<TypeHistory>(), dispatcher.GetStats, lag.ReadAsync,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TypeHistorySampler>>());
        });
        return services;
    }
}
