using Xunit;

namespace Courier.Redis.Tests;

/// <summary>One redis-server for the test assembly; each test uses a key prefix of its own.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The server (started in <see cref="InitializeAsync"/>).</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    /// <summary>A store on the shared server under <paramref name="prefix"/>.</summary>
    public RedisJobStateStore OpenStore(string prefix) =>
        RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = Server.Configuration, Prefix = prefix });

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
