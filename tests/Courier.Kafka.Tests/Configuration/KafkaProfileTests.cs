using Confluent.Kafka;
using Courier.Kafka.Configuration;
using Xunit;

namespace Courier.Kafka.Tests.Configuration;

/// <summary>What each <see cref="KafkaProfile"/> puts in the librdkafka configurations Courier builds, and that explicit settings win.</summary>
public sealed class KafkaProfileTests
{
    private static readonly JobLogConsumerOptions ConsumerOptions = new() { GroupId = "g" };

    [Fact]
    public void Throughput_IsTheDefault_WithA25MsFetchWaitAnd5MsLinger()
    {
        var options = new KafkaJobLogOptions { BootstrapServers = "k:9092" };

        Assert.Equal(KafkaProfile.Throughput, options.Profile);
        Assert.Equal(25, ClientConfigs.Consumer(options, ConsumerOptions, "g").FetchWaitMaxMs);
        Assert.Equal(5, ClientConfigs.Producer(options).LingerMs);
    }

    [Fact]
    public void LowLatency_Sets5MsFetchWait_AndKeepsThe5MsLinger()
    {
        var options = new KafkaJobLogOptions { BootstrapServers = "k:9092", Profile = KafkaProfile.LowLatency };

        var consumer = ClientConfigs.Consumer(options, ConsumerOptions, "g");

        Assert.Equal(5, consumer.FetchWaitMaxMs);
        Assert.Equal(5, ClientConfigs.Producer(options).LingerMs);
        // The rest of Courier's consumer defaults are the same in every profile.
        Assert.Equal(10, consumer.FetchQueueBackoffMs);
        Assert.Equal("false", consumer.Get("enable.auto.offset.store"));
    }

    [Fact]
    public void LowLatency_ExplicitSettingsWin()
    {
        var options = new KafkaJobLogOptions
        {
            BootstrapServers = "k:9092",
            Profile = KafkaProfile.LowLatency,
            Consumer = new ConsumerConfig { FetchWaitMaxMs = 50 },
            Producer = new ProducerConfig { LingerMs = 0 },
        };

        Assert.Equal(50, ClientConfigs.Consumer(options, ConsumerOptions, "g").FetchWaitMaxMs);
        Assert.Equal(0, ClientConfigs.Producer(options).LingerMs);
    }

    [Fact]
    public void LowLatency_SettingsAppliedFromAConfigurationStillWin()
    {
        var options = new KafkaJobLogOptions { BootstrapServers = "k:9092", Profile = KafkaProfile.LowLatency };
        options.ApplySettings(new KafkaClientSettings { Consumer = new Dictionary<string, string> { ["fetch.wait.max.ms"] = "100" } });

        Assert.Equal(100, ClientConfigs.Consumer(options, ConsumerOptions, "g").FetchWaitMaxMs);
    }

    [Fact]
    public void UndefinedProfile_IsRefusedWhenTheLogIsCreated()
    {
        var options = new KafkaJobLogOptions { BootstrapServers = "k:9092", Profile = (KafkaProfile)7 };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new KafkaJobLog(options));

        Assert.Equal("Profile", e.ParamName);
    }
}
