using Confluent.Kafka;

namespace Courier;

/// <summary>Asks a Kafka cluster for its id, to recognise librdkafka's mock cluster (<c>courier kafka dev</c>) from another process.</summary>
public static class KafkaClusterProbe
{
    /// <summary>The id librdkafka's mock cluster reports starts with this (<c>mockCluster&lt;hex&gt;</c>).</summary>
    private const string MockClusterIdPrefix = "mockCluster";

    /// <summary>
    /// True when the cluster at <paramref name="bootstrapServers"/> answers within <paramref name="timeout"/> with a mock
    /// cluster's id; false otherwise (also when it does not answer).
    /// </summary>
    public static async Task<bool> IsMockClusterAsync(string bootstrapServers, IReadOnlyDictionary<string, string> adminSettings,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adminSettings);
        var config = new AdminClientConfig(adminSettings.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
        {
            BootstrapServers = bootstrapServers,
        };
        // Asking about the cluster must not create any topic.
        config.Set("allow.auto.create.topics", "false");
        return await Task.Run(() =>
        {
            // librdkafka's own lines about a cluster that is not there say nothing this check needs; an unreachable
            // cluster is reported by the job log itself, with its request timeout, when the command uses it.
            using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
            var id = admin.ClusterId(timeout);
            return id?.StartsWith(MockClusterIdPrefix, StringComparison.Ordinal) == true;
        }, cancellationToken);
    }
}
