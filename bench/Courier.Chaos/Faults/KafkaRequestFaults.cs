using Confluent.Kafka;

namespace Courier.Chaos.Faults;

/// <summary>
/// The Kafka request-error fault: for its duration the mock cluster keeps a few errors queued for one request type
/// (Produce, Fetch or OffsetCommit) — retriable ones a real broker sends while leaders move or the coordinator loads
/// — topped up every 200 ms, then cleared.
/// </summary>
internal static class KafkaRequestFaults
{
    /// <summary>The request types the schedule picks from (its fault targets).</summary>
    public static IReadOnlyList<string> Requests { get; } = ["produce", "fetch", "offset-commit"];

    public static async Task InjectAsync(KafkaDevCluster cluster, string request, TimeSpan duration, CancellationToken cancellationToken)
    {
        (short apiKey, ErrorCode error) = request switch
        {
            "produce" => (KafkaApiKeys.Produce, ErrorCode.NotLeaderForPartition),
            "fetch" => (KafkaApiKeys.Fetch, ErrorCode.NotLeaderForPartition),
            _ => (KafkaApiKeys.OffsetCommit, ErrorCode.GroupLoadInProgress),
        };
        var until = DateTime.UtcNow + duration;
        try
        {
            while (DateTime.UtcNow < until)
            {
                cluster.PushRequestErrors(apiKey, error, error, error, error, error);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
        finally
        {
            cluster.ClearRequestErrors(apiKey);
        }
    }
}
