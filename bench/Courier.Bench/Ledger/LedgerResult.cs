namespace Courier.Bench.Ledger;

/// <summary>The ledger section: the same workload drained with the outcome ledger off and on, on each engine.</summary>
internal sealed record LedgerResult
{
    /// <summary>Jobs per drain.</summary>
    public required int Jobs { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>Every measured drain, in the order run.</summary>
    public required IReadOnlyList<LedgerRun> Runs { get; init; }

    /// <summary>Median jobs/s with the ledger <paramref name="ledger"/> on <paramref name="engine"/> over the rounds.</summary>
    public double MedianPerSecond(string engine, bool ledger) =>
        RoundStats.Median(Runs.Where(r => r.Engine == engine && r.Ledger == ledger).Select(r => r.Rate.PerSecond));

    /// <summary>Median over the rounds of jobs/s with the ledger on ÷ off on <paramref name="engine"/>, same round.</summary>
    public double MedianRatio(string engine) => RoundStats.Median(Runs.Where(r => r.Engine == engine && r.Ledger).Select(Ratio));

    /// <summary>Median over the rounds of CPU per job with the ledger on ÷ off on <paramref name="engine"/>, same round.</summary>
    public double MedianCpuRatio(string engine) =>
        RoundStats.Median(Runs.Where(r => r.Engine == engine && r.Ledger).Select(r => Off(r) is { } off && CpuPerJob(off) > 0 ? CpuPerJob(r) / CpuPerJob(off) : 0));

    /// <summary><paramref name="run"/>'s jobs/s ÷ the ledger-off drain's of the same engine and round; 0 without one.</summary>
    public double Ratio(LedgerRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Off(run) is { Rate.PerSecond: > 0 } off ? run.Rate.PerSecond / off.Rate.PerSecond : 0;
    }

    /// <summary>CPU seconds per job of a drain.</summary>
    public static double CpuPerJob(LedgerRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Rate.Jobs > 0 ? run.Rate.CpuSeconds / run.Rate.Jobs : 0;
    }

    private LedgerRun? Off(LedgerRun run) => Runs.FirstOrDefault(b => b.Engine == run.Engine && b.Round == run.Round && !b.Ledger);
}
