using Courier.Canaries;
using Courier.Dispatching.Cancelling;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Routing;

namespace Courier;

/// <summary>The operator's levers on a running dispatcher: pausing and resuming a type, cancelling a job, resetting a canary.</summary>
public sealed partial class Dispatcher
{
    /// <summary>
    /// Pauses the consumption of one job type: its job topic, retry tiers and partitioned topic stop being fetched
    /// and its jobs wait in the log — none is failed, retried or dead-lettered because of the pause. Jobs already
    /// running finish and their outcomes commit; other types are untouched. Idempotent: pausing a paused type keeps
    /// its first reason and time. Safe from any thread; the consumer thread applies it at its next turn, and after
    /// this call no job of the type starts except one the consumer thread was starting at that very moment. The
    /// pause is this dispatcher's alone and ends with the process (the control topic spreads one to every dispatcher).
    /// It is the operator's pause: the type's circuit breaker pauses it on its own account, and closing the breaker
    /// does not end this one.
    /// </summary>
    /// <param name="jobType">A job type this dispatcher knows (a rule's, or one a pattern rule picked up).</param>
    /// <param name="reason">Why, as stats, logs and <c>CourierJobTypePaused</c> show it.</param>
    /// <exception cref="ArgumentException">The type is not one this dispatcher knows; the message names those it does.</exception>
    public void Pause(string jobType, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var type = KnownType(jobType);
        if (type.TryPause(PauseHolder.Operator, reason, _time.GetUtcNow()))
        {
            DispatcherLog.Paused(_logger, type.Name, reason);
            PauseChanged();
        }
    }

    /// <summary>
    /// Resumes a paused job type where it stopped: no record is skipped or read twice. A partition that must wait
    /// for a reason of its own (a retry not yet due, a full budget) still waits for it. It also resets the type's
    /// circuit breaker (closed, its window forgotten): an operator who resumes a type its breaker opened takes
    /// responsibility for it. Idempotent; safe from any thread.
    /// </summary>
    /// <param name="jobType">A job type this dispatcher knows.</param>
    /// <exception cref="ArgumentException">The type is not one this dispatcher knows; the message names those it does.</exception>
    public void Resume(string jobType)
    {
        var type = KnownType(jobType);
        var pause = type.TryResume(PauseHolder.Operator);
        type.Breaker?.Reset();
        if (pause is not null)
        {
            DispatcherLog.Resumed(_logger, type.Name, _time.GetUtcNow() - pause.Since, pause.Reason);
        }
        PauseChanged();
    }

    /// <summary>
    /// Cancels job <paramref name="jobId"/> on every dispatcher of the log (<see cref="CancelControl"/>: the state store
    /// and the control topic, for <see cref="DispatcherOptions.CancelTtl"/>), and fires its token at once if it runs
    /// here. A running job whose handler stops ends <c>cancelled</c> (not retried, not dead-lettered); a job not reached
    /// yet ends <c>cancelled</c> without running; a finished job is not undone (docs/operations.md "Cancelling jobs").
    /// </summary>
    public async Task<CancelResult> CancelAsync(string jobId, string reason, string by, CancellationToken cancellationToken = default)
    {
        var control = new CancelControl(_log, _courierOptions.Topics, _time, StateStore);
        var record = control.Record(jobId, reason, by, _options.CancelTtl);
        // Applied here first: read back from the control topic it may have stopped the job before this could tell.
        var ranHere = _cancels.Apply(record);
        return await control.WriteAsync(record, cancellationToken) with { RanHere = ranHere };
    }

    /// <summary>
    /// The canaries of the runner pools in use, judged afresh: release, state, weight, both sides' counts in the window,
    /// the verdict and the canary's top errors (docs/operations.md "Canary releases of runners").
    /// </summary>
    public IReadOnlyList<CanaryStatus> GetCanaries() => [.. _routes.Canaries.Select(c => c.Status())];

    /// <summary>
    /// Judges the canary of runner pool <paramref name="pool"/> again from its first step, with an empty window (after a
    /// rollback, once the canary runners are fixed). Throws <see cref="ArgumentException"/> when the pool has no canary.
    /// </summary>
    public void ResetCanary(string pool)
    {
        var canary = _routes.Canaries.FirstOrDefault(c => c.Status().Pool == pool) ?? throw new ArgumentException(
            $"runner pool '{pool}' has no canary; pools with one: {string.Join(", ", GetCanaries().Select(c => c.Pool))}", nameof(pool));
        canary.Reset();
    }

    private TypeState KnownType(string jobType)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        return _routes.Types.FirstOrDefault(t => t.Name == jobType)
            ?? throw new ArgumentException(
                $"unknown job type '{jobType}'; this dispatcher knows: {string.Join(", ", _routes.Types.Select(t => t.Name).Order(StringComparer.Ordinal))}",
                nameof(jobType));
    }

    private void PauseChanged()
    {
        Interlocked.Increment(ref _routes.PauseChanges);
        _completions.Wake();
    }
}
