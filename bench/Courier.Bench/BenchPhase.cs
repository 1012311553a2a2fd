namespace Courier.Bench;

/// <summary>What a child process measures.</summary>
internal enum BenchPhase
{
    /// <summary>Enqueue rate, then processing rate of what was enqueued.</summary>
    Rates,

    /// <summary>Enqueue-to-start latency at a steady paced rate.</summary>
    Latency,

    /// <summary>Memory while a large backlog drains.</summary>
    Backlog,

    /// <summary>Courier's dispatcher against a bare consume loop on a mock Kafka cluster (the Kafka system's only phase).</summary>
    Kafka,

    /// <summary>Courier's dispatcher with an HTTP runner pool beside the in-process executor (the HTTP system's only phase).</summary>
    Http,

    /// <summary>Time to detect a failing type (the detect system's only phase).</summary>
    Detect,

    /// <summary>The incident replayed: time to detect and to stop a broken runner release (the incident system's only phase).</summary>
    Incident,

    /// <summary>Deduplication's cost: the same workload with no state store, the embedded store and Redis (the dedup system's only phase).</summary>
    Dedup,

    /// <summary>Dead-letter browsing at scale: the index's catch-up and the console's queries (the dlq system's only phase).</summary>
    Dlq,

    /// <summary>Reading lag: a lag read's log calls per partition and batched (the lag system's only phase).</summary>
    Lag,

    /// <summary>A million-job <c>courier audit</c>: time and memory (the audit system's only phase).</summary>
    Audit,

    /// <summary>The outcome ledger's cost: the same workload with the ledger off and on (the ledger system's only phase).</summary>
    Ledger,

    /// <summary>Start latency on the Kafka mock, Courier beside a bare pair (the kafka-latency system's only phase).</summary>
    KafkaLatency,

    /// <summary>Not a measurement: the HTTP section's runner process (<c>--child runner</c>).</summary>
    Runner,
}
