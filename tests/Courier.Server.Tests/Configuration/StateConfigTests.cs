using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Xunit;

namespace Courier.Server.Tests.Configuration;

public sealed class StateConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("courier-state-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("service: x\n")]
    [InlineData("state: { store: embedded }\n")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: \"k:9092\" }\n")]
    public void Load_NoStateOrEmbedded_SelectsStateDbInTheDataDirectoryOnEitherEngine(string yaml)
    {
        var data = new CourierDataDirectory(Path.Combine(_directory, "data"));
        var state = StateStoreChoice.FromConfig(CourierConfigFile.Load(Write("c.yaml", yaml)), data);

        Assert.Equal(StateStoreKind.Embedded, state.Kind);
        Assert.Equal("embedded", state.Name);
        Assert.Equal(Path.Combine(data.Root, "state.db"), state.Location);
        Assert.Equal(data.StatePath, state.Location);
    }

    [Fact]
    public void Load_EmbeddedPath_IsRelativeToTheConfigurationFile()
    {
        var config = CourierConfigFile.Load(Write("c.yaml", """
            state:
              embedded:
                path: shared/state.db
                max_entries: 5000
            """));

        var state = StateStoreChoice.FromConfig(config, new CourierDataDirectory(Path.Combine(_directory, "data")));
        Assert.Equal(Path.Combine(_directory, "shared", "state.db"), state.Location);
        Assert.Equal(5000, config.State!.Embedded!.MaxEntries);
    }

    [Fact]
    public void Load_Redis_ReadsItsSettings_AndDescribesItWithoutThePassword()
    {
        var config = CourierConfigFile.Load(Write("c.yaml", """
            state:
              store: redis
              redis:
                configuration: "redis-1:6379,redis-2:6380,password=hunter2"
                prefix: "jobs-eqiad:"
                timeout: 250ms
            """));

        var redis = config.State!.Redis!;
        Assert.Equal(StateStoreKind.Redis, config.State.Store);
        Assert.Equal(TimeSpan.FromMilliseconds(250), redis.Timeout!.Value.TimeSpan);
        var state = StateStoreChoice.FromConfig(config, new CourierDataDirectory(_directory));
        Assert.Equal("redis", state.Name);
        Assert.Contains("redis-1:6379", state.Location, StringComparison.Ordinal);
        Assert.Contains("redis-2:6380", state.Location, StringComparison.Ordinal);
        Assert.Contains("prefix jobs-eqiad:", state.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", state.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state:\n  store: redis\n", "state.redis.configuration", "is required when store is redis")]
    [InlineData("state:\n  redis:\n    configuration: \"r:6379\"\n", "state.redis", "but store is embedded (the default); add store: redis")]
    [InlineData("state:\n  store: embedded\n  redis:\n    prefix: x\n", "state.redis", "but store is embedded")]
    [InlineData("state:\n  store: redis\n  redis:\n    configuration: \"r:6379\"\n  embedded:\n    max_entries: 10\n", "state.embedded", "but store is redis")]
    [InlineData("state:\n  store: redis\n  redis:\n    configuration: \"password=x,r:6379\"\n", "state.redis.configuration", "must start with a host:port")]
    [InlineData("state:\n  store: redis\n  redis:\n    configuration: \"redis-host\"\n", "state.redis.configuration", "must start with a host:port")]
    [InlineData("state:\n  embedded:\n    max_entries: 0\n", "state.embedded.max_entries", "must be at least 1")]
    [InlineData("state:\n  store: redis\n  redis:\n    configuration: \"r:6379\"\n    timeout: 0s\n", "state.redis.timeout", "")]
    [InlineData("state:\n  store: memcached\n", "state.store", "")]
    public void Load_BadStateSettings_FailWithTheKeyNamed(string yaml, string key, string problem)
    {
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("c.yaml", yaml)));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password=x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarningFor_OnlyTheEmbeddedStoreWithAKafkaCluster_IsWarnedAbout()
    {
        var data = new CourierDataDirectory(_directory);
        var embedded = StateStoreChoice.FromConfig(null, data);
        var redis = StateStoreChoice.FromConfig(CourierConfigFile.Load(Write("r.yaml", "state: { store: redis, redis: { configuration: \"r:6379\" } }\n")), data);

        Assert.Contains("dispatchers on several hosts need redis", embedded.WarningFor(JobLogEngine.Kafka("k:9092")), StringComparison.Ordinal);
        Assert.Null(embedded.WarningFor(JobLogEngine.Sqlite(data)));
        Assert.Null(redis.WarningFor(JobLogEngine.Kafka("k:9092")));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
