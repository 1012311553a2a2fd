namespace Courier.Bench.KafkaLatency;

/// <summary>One tuning at one rate: Courier's dispatcher and the bare pair, measured one after the other in the same run.</summary>
internal sealed record KafkaLatencyRow
{
    /// <summary>The tuning's name (<see cref="LatencyCase.Name"/>).</summary>
    public required string Case { get; init; }

    /// <summary>The tuning's settings as measured.</summary>
    public required string Settings { get; init; }

    /// <summary>Jobs per second offered.</summary>
    public required int Rate { get; init; }

    /// <summary>Courier: <c>CourierClient</c> enqueue to the no-op handler's start.</summary>
    public required LatencyResult Courier { get; init; }

    /// <summary>Courier's client and job log without the dispatcher: enqueue to the job log consumer's <c>Consume</c> returning the record.</summary>
    public required LatencyResult JobLog { get; init; }

    /// <summary>The bare pair: <c>Produce</c> to <c>Consume</c> returning the record.</summary>
    public required LatencyResult Bare { get; init; }

    /// <summary>Process CPU per job while Courier's side ran (µs; the mock brokers included).</summary>
    public required double CourierCpuMicros { get; init; }

    /// <summary>Process CPU per job while the job log side ran (µs).</summary>
    public required double JobLogCpuMicros { get; init; }

    /// <summary>Process CPU per job while the bare pair ran (µs).</summary>
    public required double BareCpuMicros { get; init; }

    /// <summary>Courier's p99 ÷ the bare pair's (the target is at most 1.5).</summary>
    public double P99Ratio => Courier.P99Ms / Math.Max(Bare.P99Ms, 0.001);

    /// <summary>Courier's p50 ÷ the bare pair's.</summary>
    public double P50Ratio => Courier.P50Ms / Math.Max(Bare.P50Ms, 0.001);
}
