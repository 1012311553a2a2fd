using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Kafka.Tests;

[Collection(KafkaCollection.Name)]
public sealed class KafkaCourierBuilderTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task UseKafka_WithBootstrapServers_RegistersAKafkaLog_WithCourierDefaultPartitions()
    {
        var services = new ServiceCollection();
        services.AddCourier(o => o.DefaultPartitions = 3).UseKafka(fixture.Cluster.BootstrapServers, o => o.AutoCreateTopics = false);
        await using var provider = services.BuildServiceProvider();

        var log = Assert.IsType<KafkaJobLog>(provider.GetRequiredService<IJobLog>());
        Assert.Equal("kafka", log.EngineName);
        Assert.Equal(fixture.Cluster.BootstrapServers, log.BootstrapServers);
        Assert.Equal(3, log.Options.DefaultPartitions);
        Assert.False(log.Options.AutoCreateTopics);
    }

    [Fact]
    public async Task UseKafka_WithOptions_UsesThem_AndTheDevClusterCreatesItsTopics()
    {
        var services = new ServiceCollection();
        services.AddCourier().UseKafka(fixture.LogOptions());
        await using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<IJobLog>();
        var topic = $"builder-{Guid.NewGuid():N}";
        await log.EnsureTopicAsync(topic, 5, TestContext.Current.CancellationToken);
        Assert.Equal(5, Assert.Single(await log.ListTopicsAsync(TestContext.Current.CancellationToken), t => t.Name == topic).Partitions);
    }
}
