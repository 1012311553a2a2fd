namespace Courier.Bench.Dedup;

/// <summary>The dedup section: the same workload drained with no state store, the embedded store and Redis, dedupe off and on.</summary>
internal sealed record DedupResult
{
    /// <summary>Jobs per drain.</summary>
    public required int Jobs { get; init; }

    /// <summary>Of those, duplicates of an earlier job's work.</summary>
    public required long Duplicates { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Every measured drain, in the order run.</summary>
    public required IReadOnlyList<DedupRun> Runs { get; init; }

    /// <summary>Median jobs/s of <paramref name="variant"/> over the rounds.</summary>
    public double MedianPerSecond(string variant) => RoundStats.Median(Of(variant).Select(r => r.Rate.PerSecond));

    /// <summary>Median over the rounds of <paramref name="variant"/>'s jobs/s ÷ the baseline's (no store) in the same round.</summary>
    public double MedianRatio(string variant) => RoundStats.Median(Of(variant).Select(r =>
        Runs.FirstOrDefault(b => b.Round == r.Round && b.Variant == DedupVariant.All[0].Name) is { Rate.PerSecond: > 0 } baseline
            ? r.Rate.PerSecond / baseline.Rate.PerSecond : 0));

    /// <summary>The drains of <paramref name="variant"/>.</summary>
    public IEnumerable<DedupRun> Of(string variant) => Runs.Where(r => r.Variant == variant);
}
