using System.Collections.Concurrent;
using Courier.Dispatching.Execution;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// The jobs executing on this dispatcher, by job id, with the clock whose token their handler (or runner request)
/// holds: a cancellation fires it. Two executions of the same id at once (a duplicate in the log) track the first;
/// the second is still ended by the <see cref="CancelBook"/> check if it has not started.
/// </summary>
internal sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, JobDeadline> _running = new(StringComparer.Ordinal);

    /// <summary>Tracks job <paramref name="id"/> while it runs under <paramref name="deadline"/>; false when another execution of it is tracked.</summary>
    public bool Track(string id, JobDeadline deadline)
    {
        deadline.RunsJob(id);
        return _running.TryAdd(id, deadline);
    }

    /// <summary>Stops tracking job <paramref name="id"/> (only the execution that tracked it).</summary>
    public void Untrack(string id, JobDeadline deadline) => _running.TryRemove(new KeyValuePair<string, JobDeadline>(id, deadline));

    /// <summary>
    /// Fires the token of job <paramref name="id"/> if it runs here: true when it runs here cancelled
    /// (<paramref name="fired"/>: by this call, not an earlier cancel of it).
    /// </summary>
    public bool TryCancel(string id, string reason, out bool fired)
    {
        fired = false;
        return _running.TryGetValue(id, out var deadline) && deadline.Cancel(id, reason, out fired);
    }
}
