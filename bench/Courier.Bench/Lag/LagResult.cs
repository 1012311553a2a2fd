namespace Courier.Bench.Lag;

/// <summary>The lag-read section: per engine and broker round trip, a lag read's log calls with and without batching.</summary>
internal sealed record LagResult
{
    /// <summary>Job topics read.</summary>
    public required int Topics { get; init; }

    /// <summary>Partitions per topic.</summary>
    public required int PartitionsPerTopic { get; init; }

    /// <summary>One run per engine and round trip, in the order run.</summary>
    public required IReadOnlyList<LagRun> Runs { get; init; }
}

/// <summary>One engine at one broker round trip: the same read as a per-partition loop and as one batched call.</summary>
internal sealed record LagRun
{
    public required string Engine { get; init; }

    /// <summary>The mock cluster's broker round trip (0 on the embedded log, and the mock's default).</summary>
    public required int RoundTripMs { get; init; }

    /// <summary>Milliseconds of each timed per-partition read (sorted).</summary>
    public required IReadOnlyList<double> LoopMs { get; init; }

    /// <summary>Milliseconds of each timed batched read (sorted).</summary>
    public required IReadOnlyList<double> BatchedMs { get; init; }
}
