namespace Courier.Bench;

/// <summary>A system the harness measures.</summary>
internal enum BenchSystem
{
    /// <summary>Courier's embedded engine (SQLite job log, in-process dispatcher).</summary>
    Courier,

    /// <summary>Hangfire 1.8 on Hangfire.InMemory (no durability).</summary>
    HangfireMemory,

    /// <summary>Hangfire 1.8 on Hangfire.Storage.SQLite.</summary>
    HangfireSqlite,

    /// <summary>Courier's dispatcher on the Kafka job log against a bare Confluent.Kafka consume loop, on a mock cluster.</summary>
    Kafka,

    /// <summary>Courier's dispatcher (SQLite) running jobs on an HTTP runner in another process, beside its in-process executor.</summary>
    Http,

    /// <summary>Time to detect a failing type: the built-in watcher, and Prometheus with Alertmanager (not in the default run).</summary>
    Detect,

    /// <summary>The 2019 incident replayed against the canary and the breaker; runs only when named.</summary>
    Incident,

    /// <summary>Deduplication's cost with the embedded state store and Redis against no store; runs only when named (needs redis-server).</summary>
    Dedup,

    /// <summary>Dead-letter browsing at scale: the dead-letter index over a million dead letters; runs only when named.</summary>
    Dlq,

    /// <summary>Reading lag over 800 partitions, per partition against batched; runs only when named.</summary>
    Lag,

    /// <summary>A million-job audit against the outcome ledger on the embedded log; runs only when named.</summary>
    Audit,

    /// <summary>The outcome ledger's cost on SQLite and the Kafka mock, off against on; runs only when named.</summary>
    Ledger,

    /// <summary>Start latency on the Kafka mock: Courier against a bare producer → consumer pair, per tuning and rate; runs only when named.</summary>
    KafkaLatency,
}
