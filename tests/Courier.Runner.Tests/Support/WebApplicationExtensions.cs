using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Runner.Tests.Support;

public static class WebApplicationExtensions
{
    /// <summary>Kestrel on 127.0.0.1 with a free port.</summary>
    public static void UseKestrelLoopback(this ConfigureWebHostBuilder webHost) =>
        webHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));

    /// <summary>The address Kestrel listens on, once started.</summary>
    public static Uri BaseUrl(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
}
