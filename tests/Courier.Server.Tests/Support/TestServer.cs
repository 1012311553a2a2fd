using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;

namespace Courier.Server.Tests.Support;

/// <summary>A started dispatcher service on a free loopback port, logging nowhere, with a client on its address.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(CourierServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseUrl };
    }

    public CourierServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<TestServer> StartAsync(string dataDirectory, CourierConfig? config = null,
        int intakeMaxBodyBytes = CourierServerOptions.DefaultIntakeMaxBodyBytes, CancellationToken cancellationToken = default)
    {
        var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dataDirectory),
            MetricsPort = 0,
            Config = config,
            IntakeMaxBodyBytes = intakeMaxBodyBytes,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(cancellationToken);
        return new TestServer(server);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
    }
}
