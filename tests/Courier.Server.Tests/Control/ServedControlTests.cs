using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Control;

/// <summary>A <c>courier serve</c> host on its own data directory, with the configuration <paramref name="yaml"/>, for the control endpoints' tests.</summary>
public abstract class ServedControlTests(string yaml) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>The host, started before each test.</summary>
    private protected TestServer Host { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => Host = await TestServer.StartAsync(_dir.Path, TestConfig.Load(_dir.Path, yaml), cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The dispatcher's stats of <paramref name="type"/>.</summary>
    protected JobTypeStats Stats(string type) => Host.Server.Dispatcher.GetStats().Single(s => s.Type == type);
}
