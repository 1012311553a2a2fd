namespace Courier.Bench;

/// <summary>The Kafka section: Courier's dispatcher against a bare consume loop on one mock cluster.</summary>
internal sealed record KafkaResult
{
    /// <summary>Records per topic (each round's bare and Courier topics hold this many).</summary>
    public required int Records { get; init; }

    /// <summary>Partitions of each measured topic.</summary>
    public required int Partitions { get; init; }

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
}
