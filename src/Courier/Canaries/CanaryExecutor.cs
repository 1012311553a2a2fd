namespace Courier.Canaries;

/// <summary>
/// A runner pool with a canary: sends each job to the canary runners when its slice falls under the canary's weight,
/// else to the stable ones; probes alternate between the sides while the canary is judged. A failure on the canary
/// is held (<see cref="HeldBy"/>): its retry, which carries <c>courier.held: canary</c>, runs on stable with the same
/// attempt, so the canary never spends a job's attempt nor dead-letters it.
/// </summary>
internal sealed class CanaryExecutor(IJobExecutor stable, IJobExecutor canary, CanaryController controller) : IJobExecutor, IDisposable
{
    /// <summary>The <c>courier.held</c> value of a failure held because the canary ran it.</summary>
    public const string HeldBy = "canary";

    private int _probes;

    /// <summary>The pool's name (the stable executor's).</summary>
    public string Name => stable.Name;

    /// <summary>The canary's state.</summary>
    public CanaryController Controller => controller;

    /// <inheritdoc />
    public async ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var context = execution.Context;
        var toCanary = context.Held == HeldBy ? false
            : context.IsProbe ? controller.IsJudging && (Interlocked.Increment(ref _probes) & 1) == 0
            : controller.Routes(execution.Event);
        var result = await (toCanary ? canary : stable).ExecuteAsync(execution, cancellationToken).ConfigureAwait(false);
        controller.Record(execution.Event.Type, toCanary, result);
        return toCanary && !result.IsSuccess && !context.IsProbe && result.Failure != FailureClass.Backpressure
            ? result with { HeldBy = HeldBy }
            : result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        (stable as IDisposable)?.Dispose();
        (canary as IDisposable)?.Dispose();
    }
}
