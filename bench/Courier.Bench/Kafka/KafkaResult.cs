namespace Courier.Bench;

/// <summary>The Kafka section: Courier's dispatcher beside a bare consume loop, a parse-and-dispatch baseline and Wolverine.</summary>
internal sealed record KafkaResult
{
    /// <summary>Records per topic (each round's topics hold this many, one topic per consumer).</summary>
    public required int Records { get; init; }

    /// <summary>Partitions of each measured topic.</summary>
    public required int Partitions { get; init; }

    /// <summary>The command line that reproduces this section.</summary>
    public required string Command { get; init; }

    /// <summary>Client and dispatcher settings as measured.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Producing each round's records with <c>CourierClient.EnqueueBatchAsync</c> on the Kafka job log (the last round's).</summary>
    public RateResult? Enqueue { get; init; }

    /// <summary>The measured rounds, in order.</summary>
    public required IReadOnlyList<KafkaRound> Rounds { get; init; }

    /// <summary>Median over the rounds of Courier ÷ bare, start to last record.</summary>
    public double MedianRatio => RoundStats.Median(Rounds.Select(r => r.Ratio));

    /// <summary>Median over the rounds of Courier ÷ bare, first record to last.</summary>
    public double MedianSteadyRatio => RoundStats.Median(Rounds.Select(r => r.SteadyRatio));

    /// <summary>Median over the rounds of Courier ÷ <paramref name="other"/>, first record to last.</summary>
    public double MedianSteadyRatioTo(KafkaConsumer other) =>
        RoundStats.Median(Rounds.Select(r => r.SteadyRatioOf(KafkaConsumer.Courier, other)));

    /// <summary>Median over the rounds of one figure of <paramref name="consumer"/>'s runs.</summary>
    public double Median(KafkaConsumer consumer, Func<KafkaRun, double> figure) =>
        RoundStats.Median(Rounds.Select(r => figure(r.Get(consumer))));

    /// <summary>The Wolverine mode with the highest median first-to-last rate: the one the target compares with.</summary>
    public KafkaConsumer FastestWolverine =>
        KafkaConsumers.Wolverine.MaxBy(c => Median(c, r => r.SteadyPerSecond));
}
