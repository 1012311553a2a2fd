namespace Courier.Bench.Limit;

/// <summary>
/// Measures <see cref="SqliteLimitLog"/> over the records Courier's enqueue writes (<see cref="LimitRecords"/>): an
/// uncounted warm-up on a scratch file, then the timed append of every record in Courier's batches into a fresh file,
/// then the timed in-order read of that file.
/// </summary>
internal sealed class SqliteLimitBench
{
    private readonly BenchOptions _options;
    private readonly Action<string> _log;

    public SqliteLimitBench(BenchOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public async Task<SqliteLimitResult> RunAsync(int jobs, CancellationToken cancellationToken)
    {
        _log($"physical limit: capturing the {jobs:N0} records Courier appends (not timed)");
        var records = await LimitRecords.CaptureAsync(_options, jobs, cancellationToken);
        if (_options.WarmupJobs > 0)
        {
            await MeasureAsync(records.Take(Math.Min(_options.WarmupJobs, records.Count)).ToList());
        }
        var (append, read, settings) = await MeasureAsync(records);
        _log($"physical limit: append {append.PerSecond:N0}/s, read {read.PerSecond:N0}/s");
        return new SqliteLimitResult
        {
            Records = records.Count,
            BatchSize = _options.BatchSize,
            MeanRecordBytes = records.Average(r => (double)r.Bytes),
            Append = append,
            Read = read,
            Settings = settings,
        };
    }

    private async Task<(RateResult Append, RateResult Read, IReadOnlyDictionary<string, string> Settings)> MeasureAsync(
        IReadOnlyList<LimitRecord> records)
    {
        using var directory = new TempDirectory("limit");
        using var log = await SqliteLimitLog.CreateAsync(Path.Combine(directory.Path, "limit.db"));
        var batch = _options.BatchSize;
        var append = await SystemBench.MeasureAsync(records.Count, () =>
        {
            for (var start = 0; start < records.Count; start += batch)
            {
                log.Append(records, start, Math.Min(batch, records.Count - start), NowMs());
            }
            return Task.FromResult((long)records.Count);
        });
        var read = await SystemBench.MeasureAsync(records.Count, () =>
        {
            var (count, _) = log.ReadAllAndCommit(NowMs());
            return Task.FromResult(count);
        });
        return (append, read, log.Settings());
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
