using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Demo;

/// <summary>Registers the demo handlers (used by <c>courier up</c> and by runners that serve the demo types).</summary>
internal static class CourierBuilderDemoExtensions
{
    /// <summary>
    /// Registers the handlers of <see cref="DemoJobTypes"/> and the inbox they deliver to, at
    /// <paramref name="inboxPath"/> (normally <c>&lt;data&gt;/demo.db</c>).
    /// </summary>
    public static CourierBuilder AddDemoHandlers(this CourierBuilder builder, string inboxPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(inboxPath);
        builder.Services.AddSingleton(sp => DemoInbox.Open(inboxPath, sp.GetService<TimeProvider>()));
        return builder
            .AddHandler<MassMessageHandler, MassMessageParams>(DemoJobTypes.MassMessage)
            .AddHandler<HtmlCacheUpdateHandler, HtmlCacheUpdateParams>(DemoJobTypes.HtmlCacheUpdate)
            .AddHandler<RefreshLinksHandler, RefreshLinksParams>(DemoJobTypes.RefreshLinks);
    }
}
