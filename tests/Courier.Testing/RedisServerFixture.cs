using Courier.Redis;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// One redis-server for a test assembly (<c>[assembly: AssemblyFixture(typeof(RedisServerFixture))]</c>); each test or
/// harness uses a key prefix of its own. Without redis-server on a developer's machine only the tests that use it
/// are skipped (on CI they fail, as <see cref="SystemTool.Require"/> does), not every test of the assembly.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private string? _missing;

    /// <summary>The server (started in <see cref="InitializeAsync"/>); skips the calling test when it is not installed.</summary>
    public RedisServer Server
    {
        get
        {
            if (_missing is not null)
            {
                Assert.Skip(_missing);
            }
            return _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");
        }
    }

    /// <summary>A store on the shared server under <paramref name="prefix"/>.</summary>
    public RedisJobStateStore OpenStore(string prefix) =>
        RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = Server.Configuration, Prefix = prefix });

    /// <summary>A store on the shared server under a prefix no other caller uses.</summary>
    public RedisJobStateStore OpenStore() => OpenStore("courier-test:" + Guid.NewGuid().ToString("N")[..12] + ":");

    public async ValueTask InitializeAsync()
    {
        try
        {
            _server = await RedisServer.StartAsync();
        }
        catch (Xunit.Sdk.SkipException e)
        {
            _missing = e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
