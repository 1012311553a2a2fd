using Courier.Redis;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Sqlite.State;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary>The service's dispatcher gets the configured state store: state.db in the data directory, or Redis.</summary>
public sealed class StateStoreHostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_WithoutStateSettings_GivesTheDispatcherTheEmbeddedStoreInStateDb()
    {
        using var dir = new TempDirectory();
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });

        var store = Assert.IsType<SqliteJobStateStore>(server.Dispatcher.StateStore);
        Assert.Equal(Path.Combine(dir.Path, "state.db"), store.Path);
        Assert.Equal($"embedded {store.Path}", server.State.Describe());
        Assert.True(await store.TryAddAsync("k", "v", TimeSpan.FromMinutes(1), Ct));
        Assert.True(File.Exists(Path.Combine(dir.Path, "state.db")));
    }

    [Fact]
    public async Task Server_WithStateStoreRedis_GivesTheDispatcherRedisUnderTheConfiguredPrefix()
    {
        await using var redis = await RedisServer.StartAsync();
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "courier.yaml"), $"""
            state:
              store: redis
              redis:
                configuration: "{redis.Configuration}"
                prefix: "hosting-test:"
            """);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(Path.Combine(dir.Path, "data")),
            Config = CourierConfigFile.Load(Path.Combine(dir.Path, "courier.yaml")),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });

        var store = Assert.IsType<RedisJobStateStore>(server.Dispatcher.StateStore);
        Assert.True(await store.TryAddAsync("claim", "dispatcher-1", TimeSpan.FromMinutes(1), Ct));
        await using var reader = RedisJobStateStore.Connect(new RedisJobStateStoreOptions { Configuration = redis.Configuration, Prefix = "hosting-test:" });
        Assert.Equal("dispatcher-1", await reader.GetAsync("claim", Ct));
        Assert.Equal($"redis {redis.Configuration} (prefix hosting-test:)", server.State.Describe());
        Assert.False(File.Exists(Path.Combine(dir.Path, "data", "state.db")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "data", "log.state.db")));
    }

    [Fact]
    public async Task Server_OnKafkaWithTheEmbeddedStore_WarnsAtStart()
    {
        using var cluster = KafkaDevCluster.Start(brokers: 1);
        using var dir = new TempDirectory();
        var logs = new LogCapture(LogLevel.Warning);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            // A cluster's address, as a configuration names it (not the in-process development cluster of courier up --kafka).
            Engine = JobLogEngine.Kafka(cluster.BootstrapServers),
            MetricsPort = 0,
            ConfigureLogging = l => l.ClearProviders().AddProvider(logs),
        });

        await server.StartAsync(Ct);
        await server.StopAsync(Ct);

        Assert.Single(logs.Matching(5101, "state store is embedded", "dispatchers on several hosts need redis"));
    }
}
