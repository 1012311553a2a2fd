namespace Courier.Bench;

/// <summary>Names of <see cref="BenchPhase"/> values on a child's command line.</summary>
internal static class BenchPhases
{
    public static string Name(BenchPhase phase) => phase switch
    {
        BenchPhase.Rates => "rates",
        BenchPhase.Latency => "latency",
        BenchPhase.Backlog => "backlog",
        BenchPhase.Kafka => "kafka",
        BenchPhase.Http => "http",
        BenchPhase.Detect => "detect",
        BenchPhase.Incident => "incident",
        BenchPhase.Dedup => "dedup",
        BenchPhase.Dlq => "dlq",
        BenchPhase.Lag => "lag",
        BenchPhase.Audit => "audit",
        BenchPhase.Ledger => "ledger",
        BenchPhase.KafkaLatency => "kafka-latency",
        BenchPhase.Runner => "runner",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    public static IReadOnlyList<BenchPhase> ParseList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name switch
            {
                "rates" => BenchPhase.Rates,
                "latency" => BenchPhase.Latency,
                "backlog" => BenchPhase.Backlog,
                "kafka" => BenchPhase.Kafka,
                "http" => BenchPhase.Http,
                "detect" => BenchPhase.Detect,
                "incident" => BenchPhase.Incident,
                "dedup" => BenchPhase.Dedup,
                "dlq" => BenchPhase.Dlq,
                "lag" => BenchPhase.Lag,
                "audit" => BenchPhase.Audit,
                "ledger" => BenchPhase.Ledger,
                "kafka-latency" => BenchPhase.KafkaLatency,
                "runner" => BenchPhase.Runner,
                _ => throw new ArgumentException($"unknown phase '{name}'"),
            })
            .ToList();
}
