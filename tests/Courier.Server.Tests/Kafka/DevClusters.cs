using Courier.Server.Hosting;

namespace Courier.Server.Tests.Kafka;

/// <summary>A Kafka development cluster (librdkafka's mock brokers) per test: tests never share topics or groups.</summary>
internal static class DevClusters
{
    public static KafkaDevCluster Start()
    {
        var cluster = KafkaDevCluster.Start(brokers: 3);
        // Each test's dispatcher is alone in its group: no need to wait 3 s for others to join.
        cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        return cluster;
    }

    /// <summary>The test's own view of the cluster, through the same engine Courier uses.</summary>
    public static IJobLog OpenLog(KafkaDevCluster cluster) => JobLogEngine.DevCluster(cluster).Open(mustExist: false);

    /// <summary>True when the group has committed every record of every partition of the topic, and there is at least one.</summary>
    public static async Task<bool> GroupCaughtUpAsync(IJobLog log, string groupId, string topic)
    {
        var description = (await log.ListTopicsAsync()).FirstOrDefault(t => t.Name == topic);
        if (description is null)
        {
            return false;
        }
        var partitions = Enumerable.Range(0, description.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = await log.GetCommittedOffsetsAsync(groupId, partitions);
        long records = 0;
        foreach (var partition in partitions)
        {
            var marks = await log.GetWatermarksAsync(partition);
            records += marks.High;
            if (marks.High > 0 && committed.GetValueOrDefault(partition, -1) < marks.High)
            {
                return false;
            }
        }
        return records > 0;
    }
}
