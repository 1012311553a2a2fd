using System.Text.Json;

namespace Courier.Bench.Incident;

/// <summary>
/// A runner's handler of one job type: succeeds, or — on a broken release, until <see cref="Fix"/> — fails every job
/// permanently with the 2019 error, recording when each failing execution ran (UTC, the clock the dispatcher's
/// decisions are stamped with).
/// </summary>
internal sealed class IncidentHandler(bool broken) : IJobHandler<JsonElement>
{
    /// <summary>The error every massMessage job hit in April 2019.</summary>
    public const string Error = "Title Special: is invalid";

    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _failures = [];
    private volatile bool _broken = broken;

    public DateTimeOffset? FirstFailure
    {
        get
        {
            lock (_lock)
            {
                return _failures.Count == 0 ? null : _failures[0];
            }
        }
    }

    /// <summary>When each failing execution ran, in order.</summary>
    public IReadOnlyList<DateTimeOffset> Failures
    {
        get
        {
            lock (_lock)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>The fixed release is deployed: every job succeeds from now on.</summary>
    public void Fix() => _broken = false;

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken)
    {
        if (!_broken)
        {
            return ValueTask.FromResult(JobResult.Success);
        }
        lock (_lock)
        {
            _failures.Add(DateTimeOffset.UtcNow);
        }
        return ValueTask.FromResult(JobResult.Fail(Error));
    }
}
