namespace Courier.Bench;

/// <summary>Courier's no-op job handler: tells the probe it started, then succeeds.</summary>
internal sealed class CourierNoopHandler : IJobHandler<NoopParams>
{
    private readonly JobProbe _probe;

    public CourierNoopHandler(JobProbe probe) => _probe = probe;

    public ValueTask<JobResult> HandleAsync(Job<NoopParams> job, JobContext context, CancellationToken cancellationToken)
    {
        _probe.OnStart(job.Params.Sequence, job.Params.EnqueueTimestamp);
        return ValueTask.FromResult(JobResult.Success);
    }
}
