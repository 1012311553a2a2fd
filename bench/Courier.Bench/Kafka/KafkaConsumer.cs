namespace Courier.Bench;

/// <summary>The consumers the Kafka section times over the same records, in the order of its table.</summary>
internal enum KafkaConsumer
{
    /// <summary>A bare Confluent.Kafka consume loop: reads the bytes and stops there.</summary>
    Bare,

    /// <summary>The Kafka job log's own consumer in the same bare loop (Courier's engine without the dispatcher).</summary>
    JobLog,

    /// <summary>The bare loop plus JSON parsing, a no-op handler behind a bounded channel and in-order offset stores.</summary>
    ParseDispatch,

    /// <summary>Courier's dispatcher with a no-op in-process handler, in a classic consumer group.</summary>
    Courier,

    /// <summary>The same dispatcher in a KIP-848 group (<c>group.protocol=consumer</c>).</summary>
    CourierKip848,

    /// <summary>
    /// The classic-group dispatcher over the same records read into memory first (<see cref="HeldRecordsLog"/>): no broker
    /// and no librdkafka in its consumer, so its own threads' CPU is the dispatcher's own cost per record.
    /// </summary>
    CourierHeld,

    /// <summary>A WolverineFx.Kafka listener in its default (buffered) mode.</summary>
    WolverineBuffered,

    /// <summary>The Wolverine listener in buffered mode with the back-pressure limits raised, as its tuning guide advises.</summary>
    WolverineBufferedTuned,

    /// <summary>The Wolverine listener with <c>ProcessInline()</c>.</summary>
    WolverineInline,

    /// <summary>The inline listener with <c>ListenerCount</c> (one consumer per core), how Wolverine's guide scales inline.</summary>
    WolverineInlineListeners,
}
