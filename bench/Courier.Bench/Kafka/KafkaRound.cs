namespace Courier.Bench;

/// <summary>One round of the Kafka comparison: each consumer over a fresh topic of the same number of records.</summary>
internal sealed record KafkaRound
{
    public required int Round { get; init; }

    /// <summary>Each consumer's pass, in table order.</summary>
    public required IReadOnlyList<KafkaRun> Runs { get; init; }

    /// <summary>A bare Confluent.Kafka consume loop.</summary>
    public RateResult Bare => Get(KafkaConsumer.Bare).Rate;

    /// <summary>Courier's dispatcher (no-op in-process handler) with the bare loop's librdkafka settings.</summary>
    public RateResult Courier => Get(KafkaConsumer.Courier).Rate;

    /// <summary>Courier ÷ bare, from start (subscribe) to the last record.</summary>
    public double Ratio => Divide(Courier.PerSecond, Bare.PerSecond);

    /// <summary>Courier ÷ bare from the first record to the last: start-up and the group join left out.</summary>
    public double SteadyRatio => Divide(SteadyRate(Courier), SteadyRate(Bare));

    /// <summary>The run of <paramref name="consumer"/>.</summary>
    public KafkaRun Get(KafkaConsumer consumer) => Runs.First(r => r.Consumer == consumer);

    /// <summary><paramref name="a"/> ÷ <paramref name="b"/> from the first record to the last.</summary>
    public double SteadyRatioOf(KafkaConsumer a, KafkaConsumer b) => Divide(Get(a).SteadyPerSecond, Get(b).SteadyPerSecond);

    /// <summary>Records per second from the first record to the last.</summary>
    public static double SteadyRate(RateResult rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        var seconds = rate.Seconds - (rate.FirstJobMs ?? 0) / 1000;
        return seconds > 0 && rate.Jobs > 1 ? (rate.Jobs - 1) / seconds : 0;
    }

    internal static double Divide(double a, double b) => b > 0 ? a / b : 0;
}
