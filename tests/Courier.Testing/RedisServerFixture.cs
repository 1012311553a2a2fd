using Courier.Redis;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// One redis-server for a test assembly (<c>[assembly: AssemblyFixture(typeof(RedisServerFixture))]</c>); each test or
/// harness uses a key prefix of its own.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The server (started in <see cref="InitializeAsync"/>).</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    /// <summary>A store on the shared server under <paramref name="prefix"/>.</summary>
    public RedisJobStateStore OpenStore(string prefix) =>
        RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = Server.Configuration, Prefix = prefix });

    /// <summary>A store on the shared server under a prefix no other caller uses.</summary>
    public RedisJobStateStore OpenStore() => OpenStore("courier-test:" + Guid.NewGuid().ToString("N")[..12] + ":");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
