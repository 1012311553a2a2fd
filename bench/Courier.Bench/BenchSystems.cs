namespace Courier.Bench;

/// <summary>Names of <see cref="BenchSystem"/> values on the command line and in reports.</summary>
internal static class BenchSystems
{
    public static IReadOnlyList<BenchSystem> All { get; } =
        [BenchSystem.Courier, BenchSystem.HangfireMemory, BenchSystem.HangfireSqlite, BenchSystem.Kafka, BenchSystem.Http];

    public static string Name(BenchSystem system) => system switch
    {
        BenchSystem.Courier => "courier",
        BenchSystem.HangfireMemory => "hangfire-memory",
        BenchSystem.HangfireSqlite => "hangfire-sqlite",
        BenchSystem.Kafka => "kafka",
        BenchSystem.Http => "http",
        BenchSystem.Detect => "detect",
        BenchSystem.Incident => "incident",
        BenchSystem.Dedup => "dedup",
        BenchSystem.Dlq => "dlq",
        BenchSystem.Lag => "lag",
        BenchSystem.Audit => "audit",
        BenchSystem.Ledger => "ledger",
        BenchSystem.KafkaLatency => "kafka-latency",
        _ => throw new ArgumentOutOfRangeException(nameof(system)),
    };

    public static string Title(BenchSystem system) => system switch
    {
        BenchSystem.Courier => "Courier (SQLite)",
        BenchSystem.HangfireMemory => "Hangfire.InMemory",
        BenchSystem.HangfireSqlite => "Hangfire.SQLite",
        BenchSystem.Kafka => "Courier on Kafka",
        BenchSystem.Http => "Courier over HTTP runners",
        BenchSystem.Detect => "Time to detect",
        BenchSystem.Incident => "The incident, replayed",
        BenchSystem.Dedup => "Deduplication's cost",
        BenchSystem.Dlq => "Dead-letter browsing at scale",
        BenchSystem.Lag => "Reading lag",
        BenchSystem.Audit => "Auditing a million jobs",
        BenchSystem.Ledger => "The outcome ledger's cost",
        BenchSystem.KafkaLatency => "Kafka start latency",
        _ => throw new ArgumentOutOfRangeException(nameof(system)),
    };

    public static IReadOnlyList<BenchSystem> ParseList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name switch
            {
                "courier" => BenchSystem.Courier,
                "hangfire-memory" => BenchSystem.HangfireMemory,
                "hangfire-sqlite" => BenchSystem.HangfireSqlite,
                "kafka" => BenchSystem.Kafka,
                "http" => BenchSystem.Http,
                "detect" => BenchSystem.Detect,
                "incident" => BenchSystem.Incident,
                "dedup" => BenchSystem.Dedup,
                "dlq" => BenchSystem.Dlq,
                "lag" => BenchSystem.Lag,
                "audit" => BenchSystem.Audit,
                "ledger" => BenchSystem.Ledger,
                "kafka-latency" => BenchSystem.KafkaLatency,
                _ => throw new ArgumentException($"unknown system '{name}' (courier, hangfire-memory, hangfire-sqlite, kafka, http, detect, incident, dedup, dlq, lag, audit, ledger, kafka-latency)"),
            })
            .Distinct()
            .ToList();
}
