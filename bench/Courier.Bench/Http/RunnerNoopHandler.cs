namespace Courier.Bench;

/// <summary>The runner process's no-op handler: tells the current probe it started, then succeeds.</summary>
internal sealed class RunnerNoopHandler : IJobHandler<NoopParams>
{
    private readonly RunnerProbeState _state;

    public RunnerNoopHandler(RunnerProbeState state) => _state = state;

    public ValueTask<JobResult> HandleAsync(Job<NoopParams> job, JobContext context, CancellationToken cancellationToken)
    {
        _state.Probe.OnStart(job.Params.Sequence, job.Params.EnqueueTimestamp);
        return ValueTask.FromResult(JobResult.Success);
    }
}
