using System.Collections.Concurrent;

namespace Courier.EndToEnd.Support;

/// <summary>What handlers saw: every execution (id, attempt) and every success, per job id.</summary>
internal sealed class JobLedger
{
    private readonly ConcurrentDictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _successes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _maxAttempt = new(StringComparer.Ordinal);

    public void Executed(string jobId, int attempt)
    {
        _executions.AddOrUpdate(jobId, 1, (_, n) => n + 1);
        _maxAttempt.AddOrUpdate(jobId, attempt, (_, a) => Math.Max(a, attempt));
    }

    public void Succeeded(string jobId) => _successes.AddOrUpdate(jobId, 1, (_, n) => n + 1);

    public int Executions(string jobId) => _executions.GetValueOrDefault(jobId);

    public int Successes(string jobId) => _successes.GetValueOrDefault(jobId);

    public int MaxAttempt(string jobId) => _maxAttempt.GetValueOrDefault(jobId);

    public int SucceededCount => _successes.Count;

    public long TotalExecutions => _executions.Values.Sum(n => (long)n);
}
