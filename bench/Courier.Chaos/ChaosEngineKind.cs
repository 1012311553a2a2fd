namespace Courier.Chaos;

/// <summary>The job log engine a soak runs on.</summary>
public enum ChaosEngineKind
{
    /// <summary>The embedded log: every dispatcher on one <c>log.db</c> in the data directory.</summary>
    Sqlite,

    /// <summary>Kafka: librdkafka's mock cluster hosted by the harness, the dispatchers connected to its bootstrap.</summary>
    Kafka,
}
