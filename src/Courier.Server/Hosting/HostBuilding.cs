using System.Net;
using System.Security.Cryptography.X509Certificates;
using Courier.Runner.Http;
using Courier.Server.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Hosting;

/// <summary>
/// What the server and the runner host share: a slim Kestrel app on one address within explicit limits (<see cref="HttpLimits"/>,
/// the body read deadline included), logging, and its bound URL.
/// </summary>
internal static class HostBuilding
{
    /// <summary>
    /// An empty web application listening on <paramref name="address"/>:<paramref name="port"/> within
    /// <paramref name="limits"/>, with routing, the given clock, and either the caller's logging or warnings and up on
    /// stderr, one line each; over HTTPS only when a <paramref name="certificate"/> is given.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string applicationName, CourierDataDirectory data, IPAddress address, int port,
        HttpLimits limits, TimeProvider? timeProvider, Action<ILoggingBuilder>? configureLogging, X509Certificate2? certificate = null) =>
        CreateBuilder(applicationName, data, k => k.Listen(address, port, listen => UseCertificate(listen, certificate)), limits, timeProvider, configureLogging);

    /// <summary>The same, listening where <paramref name="listen"/> says (one or more Kestrel endpoints).</summary>
    public static WebApplicationBuilder CreateBuilder(string applicationName, CourierDataDirectory data, Action<KestrelServerOptions> listen,
        HttpLimits limits, TimeProvider? timeProvider, Action<ILoggingBuilder>? configureLogging)
    {
        limits.Validate();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            ContentRootPath = data.Root,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            listen(k);
            limits.ApplyTo(k.Limits);
        });
        // Every request carries the body deadline, which the endpoints' body reader (BoundedBody) keeps.
        var deadline = new BodyReadDeadline(limits.BodyReadTimeout);
        builder.Services.AddSingleton<IStartupFilter>(new BodyReadDeadlineFilter(deadline));
        builder.Services.AddRouting();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Logging.ClearProviders();
        if (configureLogging is not null)
        {
            configureLogging(builder.Logging);
        }
        else
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        return builder;
    }

    private static void UseCertificate(ListenOptions listen, X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }
    }

    /// <summary>The address Kestrel bound (the real port when 0 was asked for), ending in '/'.</summary>
    public static Uri? BoundUrl(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? null : new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
