using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Xunit;

namespace Courier.Server.Tests.Configuration;

public sealed class EngineConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("courier-engine-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_KafkaEngine_PassesLibrdkafkaSettingsThroughAsStrings()
    {
        var config = CourierConfigFile.Load(Write("c.yaml", """
            engine:
              kind: kafka
              bootstrap_servers: "kafka-1:9092,kafka-2:9092"
              producer:
                linger.ms: 20
                compression.type: lz4
                enable.idempotence: true
              consumer:
                session.timeout.ms: "45000"
                fetch.wait.max.ms: 50
              admin:
                socket.timeout.ms: 10000
            """));

        var engine = config.Engine!;
        Assert.Equal(EngineKind.Kafka, engine.Kind);
        Assert.Equal("kafka-1:9092,kafka-2:9092", engine.BootstrapServers);
        Assert.Equal(new Dictionary<string, string> { ["linger.ms"] = "20", ["compression.type"] = "lz4", ["enable.idempotence"] = "true" }, engine.Producer);
        Assert.Equal(new Dictionary<string, string> { ["session.timeout.ms"] = "45000", ["fetch.wait.max.ms"] = "50" }, engine.Consumer);
        Assert.Equal(new Dictionary<string, string> { ["socket.timeout.ms"] = "10000" }, engine.Admin);

        var selected = JobLogEngine.FromConfig(config, new CourierDataDirectory(_directory));
        Assert.Equal(EngineKind.Kafka, selected.Kind);
        Assert.Equal("kafka-1:9092,kafka-2:9092", selected.Location);
    }

    [Fact]
    public void Load_JsonEngine_ReadsTheSameAsYaml()
    {
        var fromYaml = CourierConfigFile.Load(Write("c.yaml", """
            engine:
              kind: kafka
              bootstrap_servers: "k:9092"
              producer:
                linger.ms: 20
                enable.idempotence: true
              consumer:
                session.timeout.ms: "45000"
              admin:
                socket.timeout.ms: 10000
            """)).Engine!;
        var fromJson = CourierConfigFile.Load(Write("c.json", """
            { "engine": { "kind": "kafka", "bootstrap_servers": "k:9092",
                          "producer": { "linger.ms": 20, "enable.idempotence": true },
                          "consumer": { "session.timeout.ms": "45000" },
                          "admin": { "socket.timeout.ms": 10000 } } }
            """)).Engine!;

        Assert.Equal((fromYaml.Kind, fromYaml.BootstrapServers), (fromJson.Kind, fromJson.BootstrapServers));
        Assert.Equal(fromYaml.Producer, fromJson.Producer);
        Assert.Equal(fromYaml.Consumer, fromJson.Consumer);
        Assert.Equal(fromYaml.Admin, fromJson.Admin);
        // And both read what was written, numbers and booleans as librdkafka's strings.
        Assert.Equal((EngineKind.Kafka, "k:9092"), (fromJson.Kind, fromJson.BootstrapServers));
        Assert.Equal(new Dictionary<string, string> { ["linger.ms"] = "20", ["enable.idempotence"] = "true" }, fromJson.Producer);
        Assert.Equal(new Dictionary<string, string> { ["session.timeout.ms"] = "45000" }, fromJson.Consumer);
        Assert.Equal(new Dictionary<string, string> { ["socket.timeout.ms"] = "10000" }, fromJson.Admin);
    }

    [Fact]
    public void Load_NoEngineOrSqlite_SelectsTheEmbeddedLogInTheDataDirectory()
    {
        var data = new CourierDataDirectory(_directory);

        var none = JobLogEngine.FromConfig(CourierConfigFile.Load(Write("a.yaml", "service: x\n")), data);
        var sqlite = JobLogEngine.FromConfig(CourierConfigFile.Load(Write("b.yaml", "engine: { kind: sqlite }\n")), data);

        Assert.Equal((EngineKind.Sqlite, data.LogPath), (none.Kind, none.Location));
        Assert.Equal((EngineKind.Sqlite, data.LogPath), (sqlite.Kind, sqlite.Location));
    }

    [Theory]
    [InlineData("engine: { kind: redis }", "c.yaml: engine.kind: unknown engine 'redis' (expected sqlite or kafka)")]
    [InlineData("engine: { kind: kafka }", "c.yaml: engine.bootstrap_servers: is required when kind is kafka")]
    [InlineData("engine: { bootstrap_servers: 'k:9092' }", "c.yaml: engine: bootstrap_servers, producer, consumer and admin are Kafka settings, but kind is sqlite (the default); add kind: kafka")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: 'k:9092', brokers: 3 }", "c.yaml: engine: unknown key 'brokers'")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: 'k:9092', consumer: { group.id: g } }", "c.yaml: engine.consumer.group.id: is set by Courier: use dispatcher.group_id")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: 'k:9092', producer: { linger.ms: { a: 1 } } }", "c.yaml: engine.producer.linger.ms: must be a string, number or boolean")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: 'k:9092', profile: fast }", "c.yaml: engine.profile: unknown profile 'fast' (expected throughput or low-latency)")]
    [InlineData("engine: { kind: kafka, bootstrap_servers: 'k:9092', profile: LowLatency }", "c.yaml: engine.profile: unknown profile 'LowLatency' (expected throughput or low-latency)")]
    [InlineData("engine: { profile: low-latency }", "c.yaml: engine.profile: is a Kafka setting, but kind is sqlite (the default); add kind: kafka")]
    public void Load_InvalidEngineSection_IsAnErrorNamingTheKey(string yaml, string expected)
    {
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("c.yaml", yaml)));

        Assert.StartsWith(Path.Combine(_directory, expected), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("profile: low-latency", KafkaProfile.LowLatency)]
    [InlineData("profile: throughput", KafkaProfile.Throughput)]
    [InlineData("", KafkaProfile.Throughput)]
    public void Load_KafkaProfile_ReachesTheJobLogOptions(string line, KafkaProfile expected)
    {
        var config = CourierConfigFile.Load(Write("c.yaml", $"""
            engine:
              kind: kafka
              bootstrap_servers: "k:9092"
              {line}
              consumer:
                session.timeout.ms: "45000"
            """));

        var options = JobLogEngine.FromConfig(config, new CourierDataDirectory(_directory)).CreateKafkaOptions()!;

        Assert.Equal(expected, options.Profile);
        // The profile fills in defaults only: the file's librdkafka settings are still there as written.
        Assert.Equal("45000", options.Consumer!.Get("session.timeout.ms"));
    }

    [Fact]
    public void Load_UnknownLibrdkafkaProperty_IsAnErrorNamingTheKey()
    {
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("c.yaml", """
            engine:
              kind: kafka
              bootstrap_servers: "k:9092"
              consumer:
                fetch.wait.max.ms: 50
                fetch.max.bytez: 1000
            """)));

        Assert.Equal("engine.consumer.fetch.max.bytez", e.KeyPath);
        Assert.Contains("librdkafka refuses it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidLibrdkafkaValue_IsAnErrorNamingTheKey()
    {
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("c.yaml", """
            engine:
              kind: kafka
              bootstrap_servers: "k:9092"
              producer:
                compression.type: zip
            """)));

        Assert.Equal("engine.producer.compression.type", e.KeyPath);
        Assert.Contains("zip", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SettingThatBreaksCouriersGuarantees_IsAnErrorNamingTheKey()
    {
        // acks=1 would let an append complete before the in-sync replicas have it: refused by the Kafka job log.
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("c.yaml", """
            engine:
              kind: kafka
              bootstrap_servers: "k:9092"
              producer:
                acks: 1
            """)));

        Assert.Equal("engine.producer.acks", e.KeyPath);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
