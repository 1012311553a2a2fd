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
    public async ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        try
        {
            return await _registry.InvokeAsync(execution, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return JobResult.Retry($"cancelled after {execution.Context.Timeout.TotalSeconds:0.###} s (timeout or shutdown)");
        }
#pragma warning disable CA1031 // A handler's exception is an outcome to route, never a crash of the dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return JobResult.FromException(e);
        }
    }
}
