namespace Courier.Bench.Dedup;

/// <summary>The dedup section: the same workload drained with no state store, the embedded store and Redis, dedupe off and on.</summary>
internal sealed record DedupResult
{
    /// <summary>Jobs per drain.</summary>
    public required int Jobs { get; init; }

    /// <summary>Of those, duplicates of an earlier job's work.</summary>
    public required long Duplicates { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Each store alone, by store: microseconds per SET and per GET of one caller (<see cref="StoreLatency"/>).</summary>
    public IReadOnlyDictionary<string, string> StoreLatency { get; init; } = new Dictionary<string, string>();

    /// <summary>Every measured drain, in the order run.</summary>
    public required IReadOnlyList<DedupRun> Runs { get; init; }

    /// <summary>Median jobs/s of <paramref name="variant"/> on <paramref name="engine"/> over the rounds.</summary>
    public double MedianPerSecond(string engine, string variant) => RoundStats.Median(Of(engine, variant).Select(r => r.Rate.PerSecond));

    /// <summary>Median over the rounds of <paramref name="variant"/>'s jobs/s ÷ the baseline's (no store) on the same engine in the same round.</summary>
    public double MedianRatio(string engine, string variant) => RoundStats.Median(Of(engine, variant).Select(Ratio));

    /// <summary><paramref name="run"/>'s jobs/s ÷ the baseline's (no store) on the same engine in the same round; 0 without one.</summary>
    public double Ratio(DedupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Runs.FirstOrDefault(b => b.Engine == run.Engine && b.Round == run.Round && b.Variant == DedupVariant.All[0].Name) is { Rate.PerSecond: > 0 } baseline
            ? run.Rate.PerSecond / baseline.Rate.PerSecond : 0;
    }

    /// <summary>The drains of <paramref name="variant"/> on <paramref name="engine"/>.</summary>
    public IEnumerable<DedupRun> Of(string engine, string variant) => Runs.Where(r => r.Engine == engine && r.Variant == variant);
}
