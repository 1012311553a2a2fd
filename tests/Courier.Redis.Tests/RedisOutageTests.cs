using Courier.State;
using Xunit;

namespace Courier.Redis.Tests;

/// <summary>
/// Redis going away and coming back, on a server of the test's own: operations fail with
/// <see cref="JobStateStoreException"/> (callers fail open) instead of hanging, and the same store works again once
/// Redis is back.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    /// <summary>Bounds a failing call: far above the store's 1 s operation timeout, far below a hang.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    private RedisServer? _server;

    private RedisServer Server => _server!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisStopped_EveryOperationThrowsJobStateStoreException_RestartedTheSameStoreWorksAgain()
    {
        await using var store = RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = Server.Configuration });
        Assert.Equal(1, await store.IncrementAsync("hits", 1, TimeSpan.FromHours(1), Ct));

        await Server.StopAsync();
        var operations = new (string Name, Func<Task> Call)[]
        {
            ("add", async () => await store.TryAddAsync("claim", "v", TimeSpan.FromHours(1), Ct)),
            ("get", async () => await store.GetAsync("claim", Ct)),
            ("set", async () => await store.SetAsync("claim", "v", TimeSpan.FromHours(1), Ct)),
            ("delete", async () => await store.DeleteAsync("claim", cancellationToken: Ct)),
            ("delete", async () => await store.DeleteAsync("claim", "v", Ct)),
            ("max", async () => await store.MaxAsync("newest", 1, TimeSpan.FromHours(1), Ct)),
            ("increment", async () => await store.IncrementAsync("hits", 1, TimeSpan.FromHours(1), Ct)),
        };
        foreach (var (name, call) in operations)
        {
            // A hang would end in a TimeoutException instead, failing the assertion.
            var error = await Assert.ThrowsAsync<JobStateStoreException>(() => call().WaitAsync(Prompt, Ct));
            Assert.Contains($"{name} failed", error.Message, StringComparison.Ordinal);
        }

        await Server.RestartAsync();
        // The client reconnects on its own; nothing is persisted, so the restarted server starts empty. Its script
        // cache is empty too: the scripts are sent again (NOSCRIPT, then EVAL).
        await Eventually.TrueAsync(async () => await TryAsync(() => store.GetAsync("hits", Ct)), "the store reconnects to the restarted Redis",
            state: () => ValueTask.FromResult(Server.Tail()));
        Assert.Equal(1, await store.IncrementAsync("hits", 1, TimeSpan.FromHours(1), Ct));
        Assert.Null(await store.MaxAsync("newest", 7, TimeSpan.FromHours(1), Ct));
        Assert.True(await store.TryAddAsync("claim", "v", TimeSpan.FromHours(1), Ct));
        Assert.True(await store.DeleteAsync("claim", "v", Ct));
    }

    [Fact]
    public async Task RedisNeverReachable_ConnectingSucceeds_AndOperationsThrowJobStateStoreException()
    {
        var port = Server.Port;
        await Server.StopAsync();
        await using var store = RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = $"127.0.0.1:{port}" });

        await Assert.ThrowsAsync<JobStateStoreException>(async () =>
            await store.TryAddAsync("claim", "v", TimeSpan.FromHours(1), Ct).AsTask().WaitAsync(Prompt, Ct));

        await Server.RestartAsync();
        await Eventually.TrueAsync(async () => await TryAsync(() => store.TryAddAsync("claim", "v", TimeSpan.FromHours(1), Ct)),
            "the store connects once Redis is up", state: () => ValueTask.FromResult(Server.Tail()));
    }

    private static async Task<bool> TryAsync<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            await operation();
            return true;
        }
        catch (JobStateStoreException)
        {
            return false;
        }
    }
}
