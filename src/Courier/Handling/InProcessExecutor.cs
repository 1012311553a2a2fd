namespace Courier;

/// <summary>Runs jobs through handlers registered in this process (the single-box deployment).</summary>
public sealed class InProcessExecutor : IJobExecutor
{
    private readonly JobHandlerRegistry _registry;

    /// <summary>Creates the executor over a registry.</summary>
    public InProcessExecutor(JobHandlerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <inheritdoc />
    public string Name => "in-process";

    /// <inheritdoc />
    public ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ValueTask<JobResult> running;
        try
        {
            running = _registry.InvokeAsync(execution, cancellationToken);
        }
#pragma warning disable CA1031 // A handler's exception is an outcome to route, never a crash of the dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ValueTask.FromResult(Failed(e, execution, cancellationToken));
        }
        // A handler that has finished already (no-op and CPU-bound ones) costs no state machine of its own here.
        return running.IsCompletedSuccessfully ? running : AwaitAsync(running, execution, cancellationToken);
    }

    private static async ValueTask<JobResult> AwaitAsync(ValueTask<JobResult> running, JobExecution execution, CancellationToken cancellationToken)
    {
        try
        {
            return await running;
        }
#pragma warning disable CA1031 // As above.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failed(e, execution, cancellationToken);
        }
    }

    /// <summary>The outcome of a handler that threw: a retry when the job's token stopped it, else what the exception says.</summary>
    private static JobResult Failed(Exception e, JobExecution execution, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? JobResult.Retry($"cancelled after {execution.Context.Timeout.TotalSeconds:0.###} s (timeout or shutdown)")
            : JobResult.FromException(e);
}
