namespace Courier.Bench;

/// <summary>Names of the Kafka section's consumers as the report prints them.</summary>
internal static class KafkaConsumers
{
    /// <summary>Every consumer, in table order.</summary>
    public static readonly KafkaConsumer[] All = Enum.GetValues<KafkaConsumer>();

    /// <summary>The Wolverine listener's modes; the fastest of them (by median rate) is the one the target names.</summary>
    public static readonly KafkaConsumer[] Wolverine =
        [KafkaConsumer.WolverineBuffered, KafkaConsumer.WolverineBufferedTuned, KafkaConsumer.WolverineInline, KafkaConsumer.WolverineInlineListeners];

    /// <summary>The row label.</summary>
    public static string Name(KafkaConsumer consumer) => consumer switch
    {
        KafkaConsumer.Bare => "bare loop",
        KafkaConsumer.JobLog => "job log loop",
        KafkaConsumer.ParseDispatch => "parse-and-dispatch",
        KafkaConsumer.Courier => "Courier",
        KafkaConsumer.CourierKip848 => "Courier, KIP-848",
        KafkaConsumer.CourierHeld => "Courier, records in memory",
        KafkaConsumer.WolverineBuffered => "Wolverine, buffered (default)",
        KafkaConsumer.WolverineBufferedTuned => "Wolverine, buffered, limits raised",
        KafkaConsumer.WolverineInline => "Wolverine, inline",
        KafkaConsumer.WolverineInlineListeners => $"Wolverine, inline, {WolverinePeer.InlineListeners} listeners",
        _ => throw new ArgumentOutOfRangeException(nameof(consumer)),
    };

    /// <summary>A short name for topics and group ids.</summary>
    public static string Slug(KafkaConsumer consumer) => consumer switch
    {
        KafkaConsumer.Bare => "bare",
        KafkaConsumer.JobLog => "joblog",
        KafkaConsumer.ParseDispatch => "parse",
        KafkaConsumer.Courier => "courier",
        KafkaConsumer.CourierKip848 => "kip848",
        KafkaConsumer.CourierHeld => "held",
        KafkaConsumer.WolverineBuffered => "wolverine-buffered",
        KafkaConsumer.WolverineBufferedTuned => "wolverine-tuned",
        KafkaConsumer.WolverineInline => "wolverine-inline",
        KafkaConsumer.WolverineInlineListeners => "wolverine-inline-n",
        _ => throw new ArgumentOutOfRangeException(nameof(consumer)),
    };
}
