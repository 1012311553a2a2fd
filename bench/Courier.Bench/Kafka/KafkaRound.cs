namespace Courier.Bench;

/// <summary>One round of the Kafka comparison: each consumer over a fresh topic of the same number of records.</summary>
internal sealed record KafkaRound
{
    public required int Round { get; init; }

    /// <summary>A bare Confluent.Kafka consume loop.</summary>
    public required RateResult Bare { get; init; }

    /// <summary>The Kafka job log's own consumer in a bare loop (no dispatcher), with the bare loop's librdkafka settings.</summary>
    public required RateResult JobLog { get; init; }

    /// <summary>Courier's dispatcher (no-op in-process handler) with the bare loop's librdkafka settings.</summary>
    public required RateResult Courier { get; init; }

    /// <summary>Courier's dispatcher in a KIP-848 group (<c>group.protocol=consumer</c>), as the development cluster's options set it.</summary>
    public required RateResult CourierKip848 { get; init; }

    /// <summary>Courier ÷ bare, from start (subscribe) to the last record.</summary>
    public double Ratio => Divide(Courier.PerSecond, Bare.PerSecond);

    /// <summary>Courier ÷ bare from the first record to the last: start-up and the group join left out.</summary>
    public double SteadyRatio => Divide(SteadyRate(Courier), SteadyRate(Bare));

    /// <summary>Records per second from the first record to the last.</summary>
    public static double SteadyRate(RateResult rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        var seconds = rate.Seconds - (rate.FirstJobMs ?? 0) / 1000;
        return seconds > 0 && rate.Jobs > 1 ? (rate.Jobs - 1) / seconds : 0;
    }

    private static double Divide(double a, double b) => b > 0 ? a / b : 0;
}
