using Courier.Server.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Server.Admin.Index;

/// <summary>Registers the dead-letter index of a data directory, its indexer, and <see cref="IDeadLetterBrowser"/> over it.</summary>
internal static class DeadLetterIndexHosting
{
    /// <summary>Adds the index (<c>&lt;data&gt;/dead-letters.db</c>), the hosted <see cref="DeadLetterIndexer"/> and the browser.</summary>
    public static void AddDeadLetterIndex(this IServiceCollection services, CourierDataDirectory data)
    {
        services.TryAddSingleton(sp => DeadLetterIndex.In(data, Options(sp).Topics.ErrorTopic));
        services.TryAddSingleton<IDeadLetterBrowser>(sp => new IndexedDeadLetterBrowser(sp.GetRequiredService<IJobLog>(),
            sp.GetRequiredService<DeadLetterIndex>(), Options(sp), sp.GetRequiredService<Dispatcher>().GetReplayOutcome,
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => new DeadLetterIndexer(sp.GetRequiredService<IJobLog>(), sp.GetRequiredService<DeadLetterIndex>(),
            Options(sp).Topics, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeadLetterIndexer>>()));
    }

    private static CourierOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<CourierOptions>>().Value;
}
