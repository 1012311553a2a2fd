namespace Courier.Bench.KafkaLatency;

/// <summary>The Kafka start-latency section: every tuning at every rate, Courier beside the bare pair.</summary>
internal sealed record KafkaLatencyResult
{
    /// <summary>Partitions of each measured topic.</summary>
    public required int Partitions { get; init; }

    /// <summary>What both sides ran with.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The measured rows, in order.</summary>
    public required IReadOnlyList<KafkaLatencyRow> Rows { get; init; }
}
