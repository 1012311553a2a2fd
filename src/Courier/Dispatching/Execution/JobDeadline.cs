namespace Courier.Dispatching.Execution;

/// <summary>
/// One pooled job clock of <see cref="JobDeadlines"/>. The sweep and the job's own finish race for it, so arming,
/// disarming and cancelling take the instance's lock (uncontended but for the rare sweep that meets a finishing job).
/// </summary>
internal sealed class JobDeadline : IDisposable
{
    private readonly Lock _lock = new();
    private CancellationTokenSource _source = new();
    private long _dueTimestamp;
    private bool _running;
    /// <summary>
    /// The metadata of the job that runs under this clock (null for a probe, which no one cancels by id); its id is
    /// read only when a cancel looks for it, so a job no one cancels never needs its id as a string.
    /// </summary>
    private JobMeta? _job;

    /// <summary>Cancelled when the job's time is up or shutdown aborts it.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>True when <see cref="Token"/> was cancelled because the job ran past its timeout.</summary>
    public bool TimedOut { get; private set; }

    public bool IsCancellationRequested => Token.IsCancellationRequested;

    /// <summary>Why an operator cancelled the running job (<see cref="Cancel"/>); null when no one did.</summary>
    public string? CancelReason { get; private set; }

    public void Arm(long dueTimestamp, JobMeta? job)
    {
        lock (_lock)
        {
            _dueTimestamp = dueTimestamp;
            _job = job;
            TimedOut = false;
            CancelReason = null;
            _running = true;
            Token = _source.Token;
        }
    }

    /// <summary>Stops the clock, ready for the next job.</summary>
    public void Disarm()
    {
        lock (_lock)
        {
            _running = false;
            _job = null;
            if (!_source.TryReset())
            {
                // A cancelled source cannot be reset: the next job gets a fresh one.
                _source.Dispose();
                _source = new CancellationTokenSource();
            }
        }
    }

    public void CancelIfDue(long now)
    {
        if (!Volatile.Read(ref _running) || now < Volatile.Read(ref _dueTimestamp))
        {
            return;
        }
        CancelIfRunning(timedOut: true, now);
    }

    public void CancelIfRunning(bool timedOut, long now = long.MaxValue)
    {
        lock (_lock)
        {
            // Under the lock, so the job cannot finish and its clock be re-armed for the next job in between. The lock
            // is reentrant: a callback that finishes the job on this thread disarms it here.
            if (_running && !_source.IsCancellationRequested && (!timedOut || now >= _dueTimestamp))
            {
                TimedOut = timedOut;
                _source.Cancel();
            }
        }
    }

    /// <summary>
    /// Cancels job <paramref name="jobId"/> on an operator's request (<paramref name="reason"/>): true when it runs
    /// under this clock and is cancelled (<paramref name="fired"/>: by this call; false when an earlier cancel did),
    /// false when it no longer runs here or its token had fired otherwise (timeout, shutdown).
    /// </summary>
    public bool Cancel(string jobId, string reason, out bool fired)
    {
        lock (_lock)
        {
            fired = false;
            // The id is cleared when the clock stops, so a cancel of it cannot reach the next job the pool gives it to.
            if (!_running || _job is not { } job || !string.Equals(job.Id, jobId, StringComparison.Ordinal))
            {
                return false;
            }
            if (_source.IsCancellationRequested)
            {
                return CancelReason is not null;
            }
            CancelReason = reason;
            _source.Cancel();
            fired = true;
            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _source.Dispose();
        }
    }
}
