namespace Courier.Bench.Dedup;

/// <summary>One variant's drain of the workload in one round.</summary>
internal sealed record DedupRun
{
    /// <summary><c>sqlite</c> or <c>kafka</c>.</summary>
    public required string Engine { get; init; }

    /// <summary><see cref="DedupVariant.Name"/>.</summary>
    public required string Variant { get; init; }

    public required int Round { get; init; }

    /// <summary>Jobs ended (succeeded or deduplicated) from starting the dispatcher until the last one ended.</summary>
    public required RateResult Rate { get; init; }

    /// <summary>Handler calls (the duplicates do not run when dedupe is on).</summary>
    public required long Executions { get; init; }

    /// <summary>Jobs that ended deduplicated.</summary>
    public required long Deduplicated { get; init; }

    /// <summary>Jobs that went to a retry tier: a duplicate that found its original still running waits; should be 0.</summary>
    public required long Retried { get; init; }

    /// <summary>CPU redis-server used over the drain (Redis variants only; the other figures are the bench process's).</summary>
    public double? RedisCpuSeconds { get; init; }

    /// <summary>State store calls by operation, over the drain.</summary>
    public required IReadOnlyDictionary<string, long> StoreOperations { get; init; }

    /// <summary>State store calls per job ended.</summary>
    public double OperationsPerJob => Rate.Jobs > 0 ? StoreOperations.Values.Sum() / (double)Rate.Jobs : 0;
}
