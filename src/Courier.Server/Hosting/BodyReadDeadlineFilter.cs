using Courier.Runner.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Courier.Server.Hosting;

/// <summary>Puts the host's <see cref="BodyReadDeadline"/> on every request, first in the pipeline.</summary>
internal sealed class BodyReadDeadlineFilter(BodyReadDeadline deadline) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Features.Set(deadline);
            return nextMiddleware(context);
        });
        next(app);
    };
}
