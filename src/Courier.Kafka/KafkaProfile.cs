namespace Courier;

/// <summary>
/// Which of two librdkafka tunings the Kafka job log fills in where the user set nothing (<see cref="KafkaJobLogOptions.Profile"/>):
/// explicit settings in <see cref="KafkaJobLogOptions.Producer"/> and <see cref="KafkaJobLogOptions.Consumer"/> always win.
/// </summary>
public enum KafkaProfile
{
    /// <summary>
    /// The default: consumers long-poll each broker for up to 25 ms (<c>fetch.wait.max.ms=25</c>) and the producer lingers
    /// 5 ms (<c>linger.ms=5</c>). A job starts within about 30 ms at p99 on the mock cluster; idle consumers send a
    /// fetch per broker every 25 ms.
    /// </summary>
    Throughput,

    /// <summary>
    /// Start latency first: consumers long-poll for at most 5 ms (<c>fetch.wait.max.ms=5</c>), the producer still lingers
    /// 5 ms (without it a burst of appends queues behind one another's requests and p99 jumps to hundreds of
    /// milliseconds). Idle consumers send five times as many fetch requests, which costs broker CPU and network.
    /// </summary>
    LowLatency,
}
