using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Kafka;

public sealed class JobLogEngineTests
{
    [Fact]
    public async Task ForDispatcherOnDevCluster_SwitchesToKip848Groups_OnTheMockSeenFromOutside()
    {
        using var cluster = DevClusters.Start();
        var engine = JobLogEngine.Kafka(cluster.BootstrapServers);

        var (switched, didSwitch) = await engine.ForDispatcherOnDevClusterAsync(TestContext.Current.CancellationToken);

        Assert.True(didSwitch);
        Assert.Equal(cluster.BootstrapServers, switched.Location);
        // The switched engine still works: a dispatcher-style group consumer on it gets the topic's partitions.
        await using var log = switched.Open(mustExist: false);
        await log.EnsureTopicAsync("mediawiki.job.probe", 2, TestContext.Current.CancellationToken);
        // Seen from outside, the mock auto-creates topics with its own partition count instead.
        var partitions = (await log.ListTopicsAsync(TestContext.Current.CancellationToken)).Single(t => t.Name == "mediawiki.job.probe").Partitions;
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = "probe-group" });
        consumer.Subscribe(["mediawiki.job.probe"]);
        await Eventually.TrueAsync(() =>
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
            return consumer.Assignment.Count == partitions;
        }, "the probe consumer was assigned every partition", TimeSpan.FromSeconds(30));
        consumer.Close();
    }

    [Fact]
    public async Task ForDispatcherOnDevCluster_LeavesTheEngineAlone_WhenTheConfigurationChoseTheGroupProtocol()
    {
        using var cluster = DevClusters.Start();
        var settings = new EngineConfig
        {
            Kind = EngineKind.Kafka,
            BootstrapServers = cluster.BootstrapServers,
            Consumer = new Dictionary<string, string> { ["group.protocol"] = "classic" },
        };
        var engine = JobLogEngine.Kafka(cluster.BootstrapServers, settings);

        var (same, didSwitch) = await engine.ForDispatcherOnDevClusterAsync(TestContext.Current.CancellationToken);

        Assert.False(didSwitch);
        Assert.Same(engine, same);
    }

    [Fact]
    public async Task ForDispatcherOnDevCluster_LeavesSqliteAndInProcessClustersAlone()
    {
        using var dir = new TempDirectory();
        using var cluster = DevClusters.Start();

        Assert.False((await JobLogEngine.Sqlite(new CourierDataDirectory(dir.Path)).ForDispatcherOnDevClusterAsync(TestContext.Current.CancellationToken)).Switched);
        Assert.False((await JobLogEngine.DevCluster(cluster).ForDispatcherOnDevClusterAsync(TestContext.Current.CancellationToken)).Switched);
    }

    [Fact]
    public void DevCluster_WithConfiguredConsumerSettings_KeepsTheClustersOwnGroupProtocol()
    {
        // Regression: the configuration's consumer map used to replace the development cluster's consumer settings
        // whole, dropping its group.protocol=consumer and so bringing back the mock's 44 s classic rebalances.
        using var cluster = DevClusters.Start();
        var settings = new EngineConfig
        {
            Kind = EngineKind.Kafka,
            BootstrapServers = "ignored:9092",
            Consumer = new Dictionary<string, string> { ["fetch.wait.max.ms"] = "50" },
        };

        var options = JobLogEngine.DevCluster(cluster, settings).CreateKafkaOptions()!;

        Assert.Equal("consumer", options.Consumer!.Get("group.protocol"));
        Assert.Equal("50", options.Consumer.Get("fetch.wait.max.ms"));
        Assert.Equal(cluster.BootstrapServers, options.BootstrapServers);
    }
}
