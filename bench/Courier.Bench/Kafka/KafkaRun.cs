namespace Courier.Bench;

/// <summary>One consumer's pass over its topic in one round.</summary>
internal sealed record KafkaRun
{
    public required KafkaConsumer Consumer { get; init; }

    /// <summary>From starting the consumer (subscribe, or its host's or dispatcher's start) to its N-th record.</summary>
    public required RateResult Rate { get; init; }

    /// <summary>Process CPU seconds from the start to the first record (start-up, group join, code generation).</summary>
    public double StartUpCpuSeconds { get; init; }

    /// <summary>Bytes allocated from the start to the first record.</summary>
    public long StartUpAllocatedBytes { get; init; }

    /// <summary>For the parse-and-dispatch baseline: records its group's committed offsets cover once it stopped.</summary>
    public long? CommittedRecords { get; init; }

    /// <summary>For Wolverine: times back pressure stopped the listener (closing its consumer) during the run.</summary>
    public int? ListenerPauses { get; init; }

    /// <summary>CPU by thread group from the first record to the last (null when no record came).</summary>
    public ThreadCpu? Threads { get; init; }

    /// <summary>
    /// CPU per record in µs of the consumer's own threads (everything but librdkafka's and the mock's), first record to
    /// last: the figure the mock cluster's share does not blur.
    /// </summary>
    public double OwnCpuMicroseconds => PerRecord((Threads?.DotnetSeconds ?? 0) * 1e6);

    /// <summary>CPU per record in µs of librdkafka's client threads (broker connections, main), first record to last.</summary>
    public double ClientCpuMicroseconds => PerRecord((Threads?.ClientSeconds ?? 0) * 1e6);

    /// <summary>CPU per record in µs of the mock cluster's threads, first record to last.</summary>
    public double MockCpuMicroseconds => PerRecord((Threads?.MockSeconds ?? 0) * 1e6);

    /// <summary>Records per second from the first record to the last.</summary>
    public double SteadyPerSecond => KafkaRound.SteadyRate(Rate);

    /// <summary>Process CPU per record in µs, first record to last (all threads, mock brokers included).</summary>
    public double SteadyCpuMicroseconds => PerRecord((Rate.CpuSeconds - StartUpCpuSeconds) * 1e6);

    /// <summary>Bytes allocated per record, first record to last.</summary>
    public double SteadyAllocatedBytes => PerRecord(Rate.AllocatedBytes - StartUpAllocatedBytes);

    /// <summary>Process CPU per record in µs over the whole span, start-up included.</summary>
    public double CpuMicroseconds => PerRecord(Rate.CpuSeconds * 1e6);

    /// <summary>The counters a <see cref="RecordCounter"/> took, with the measured span.</summary>
    public static KafkaRun Of(KafkaConsumer consumer, RateResult rate, RecordCounter counter, long firstTimestamp, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentNullException.ThrowIfNull(counter);
        var startUp = counter.StartUp;
        return new KafkaRun
        {
            Consumer = consumer,
            Rate = firstTimestamp == 0 ? rate : rate with { FirstJobMs = (firstTimestamp - startTimestamp) * 1000.0 / System.Diagnostics.Stopwatch.Frequency },
            StartUpCpuSeconds = startUp.CpuTime.TotalSeconds,
            StartUpAllocatedBytes = startUp.AllocatedBytes,
            Threads = counter.Threads,
        };
    }

    private double PerRecord(double total) => Rate.Jobs > 1 ? total / Rate.Jobs : 0;
}
