namespace Courier.Dispatching.Execution;

/// <summary>
/// The timeouts of running jobs, enforced by one periodic sweep instead of a timer and a linked token source per job:
/// at tens of thousands of jobs a second the per-job timer (registered and unregistered in the runtime's timer queue
/// under a lock) and the linked source cost more than a no-op job itself. A job's cancellation source is rented
/// from a pool kept on the worker threads (<see cref="ThreadCachePool{T}"/>), so a job that finishes in time
/// allocates nothing here. A timeout fires up to one sweep period late. Shutdown's abort cancels every running job
/// and every job started after it.
/// </summary>
internal sealed class JobDeadlines : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly ThreadCachePool<JobDeadline> _free = new();
    private readonly Lock _growing = new();
    private JobDeadline[] _all = [];
    private readonly CancellationTokenSource _abort = new();

    public JobDeadlines(TimeProvider time, TimeSpan sweepPeriod)
    {
        _time = time;
        _sweeper = time.CreateTimer(static state => ((JobDeadlines)state!).Sweep(), this, sweepPeriod, sweepPeriod);
    }

    public bool IsAborted => _abort.IsCancellationRequested;

    /// <summary>Cancelled by <see cref="Abort"/>: for work of a job outside its handler (writing its outcome).</summary>
    public CancellationToken AbortToken => _abort.Token;

    /// <summary>
    /// Starts the clock of one job; give the result back with <see cref="Finish"/>. A job whose metadata
    /// <paramref name="job"/> is given can be cancelled by id while it runs (<see cref="TryCancel"/>). The clock runs from
    /// <paramref name="startedTimestamp"/> (the time provider's timestamp the caller just read), or from now.
    /// </summary>
    public JobDeadline Start(TimeSpan timeout, JobMeta? job = null, long? startedTimestamp = null)
    {
        if (!_free.TryRent(out var deadline))
        {
            deadline = new JobDeadline();
            lock (_growing)
            {
                _all = [.. _all, deadline];
            }
        }
        deadline.Arm((startedTimestamp ?? _time.GetTimestamp()) + (long)(timeout.TotalSeconds * _time.TimestampFrequency), job);
        if (IsAborted)
        {
            deadline.CancelIfRunning(timedOut: false);
        }
        return deadline;
    }

    public void Finish(JobDeadline deadline)
    {
        deadline.Disarm();
        _free.Return(deadline);
    }

    /// <summary>Cancels every running job and every later one (shutdown gave up waiting).</summary>
    public void Abort()
    {
        _abort.Cancel();
        foreach (var deadline in Volatile.Read(ref _all))
        {
            deadline.CancelIfRunning(timedOut: false);
        }
    }

    /// <summary>
    /// Fires the token of every execution of job <paramref name="id"/> running here: true when one runs here cancelled
    /// (<paramref name="fired"/>: by this call, not an earlier cancel of it). A cancel is rare and the clocks are as many
    /// as jobs ever ran at once, so it looks at each rather than every job keeping an index by id up to date (an add
    /// and a remove in a concurrent dictionary, and a node allocated, for each job).
    /// </summary>
    public bool TryCancel(string id, string reason, out bool fired)
    {
        var runs = false;
        fired = false;
        foreach (var deadline in Volatile.Read(ref _all))
        {
            if (deadline.Cancel(id, reason, out var firedHere))
            {
                runs = true;
                fired |= firedHere;
            }
        }
        return runs;
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var deadline in Volatile.Read(ref _all))
        {
            deadline.CancelIfDue(now);
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _abort.Dispose();
        foreach (var deadline in Volatile.Read(ref _all))
        {
            deadline.Dispose();
        }
    }
}
