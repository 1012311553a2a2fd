namespace Courier.Bench.Dlq;

/// <summary>The dead-letter section: per engine, the index's catch-up and the latency of what the console asks.</summary>
internal sealed record DlqResult
{
    /// <summary>Job types the dead letters spread over.</summary>
    public required int Types { get; init; }

    /// <summary>One run per engine, in the order run.</summary>
    public required IReadOnlyList<DlqRun> Runs { get; init; }
}

/// <summary>One engine's run: the dead letters written, the index built from them, the queries timed.</summary>
internal sealed record DlqRun
{
    public required string Engine { get; init; }

    /// <summary>Dead letters written to the error topic.</summary>
    public required int Records { get; init; }

    public required int Partitions { get; init; }

    /// <summary>Records per second appended to the error topic (raw records, big batches).</summary>
    public required double WritePerSecond { get; init; }

    /// <summary>Records per second the indexer took from the error topic into the index, from an empty index.</summary>
    public required double IndexPerSecond { get; init; }

    /// <summary>The index file's size (with its WAL) once caught up.</summary>
    public required long IndexBytes { get; init; }

    /// <summary>Median milliseconds of each timed query, by name, over its repetitions.</summary>
    public required IReadOnlyDictionary<string, double> MedianMs { get; init; }

    /// <summary>What each timed query is, by name.</summary>
    public required IReadOnlyDictionary<string, string> Descriptions { get; init; }
}
