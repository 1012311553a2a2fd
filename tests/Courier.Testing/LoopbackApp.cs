using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Testing;

/// <summary>
/// A real Kestrel app on 127.0.0.1 at a free port, for tests that need an HTTP peer (a runner, a stand-in for one):
/// no test server, real sockets on loopback only.
/// </summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private LoopbackApp(WebApplication app, Uri baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (<c>https://</c> with a certificate), without a trailing slash.</summary>
    public Uri BaseUrl { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>
    /// Builds the app (logging cleared unless <paramref name="configure"/> sets it up), lets <paramref name="map"/> add its
    /// endpoints, and starts it; over HTTPS with <paramref name="certificate"/> when one is given.
    /// </summary>
    public static async Task<LoopbackApp> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null,
        X509Certificate2? certificate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackApp(app, new Uri(address.TrimEnd('/')));
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens (a port bound and released), so connecting is refused.</summary>
    public static Uri RefusingUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
