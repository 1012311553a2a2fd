namespace Courier.Bench;

/// <summary>Courier's no-op handler for the Kafka section: counts through a <see cref="RecordCounter"/>, like the peers' handlers.</summary>
internal sealed class CountingNoopHandler : IJobHandler<NoopParams>
{
    private readonly RecordCounter _counter;

    public CountingNoopHandler(RecordCounter counter) => _counter = counter;

    public ValueTask<JobResult> HandleAsync(Job<NoopParams> job, JobContext context, CancellationToken cancellationToken)
    {
        _counter.OnHandled(job.Params.Sequence, job.Params.EnqueueTimestamp);
        return ValueTask.FromResult(JobResult.Success);
    }
}
