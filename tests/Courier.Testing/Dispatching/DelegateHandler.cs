namespace Courier.Testing;

/// <summary>A handler driven by a delegate.</summary>
public sealed class DelegateHandler<T>(Func<Job<T>, JobContext, CancellationToken, ValueTask<JobResult>> handle) : IJobHandler<T>
{
    public ValueTask<JobResult> HandleAsync(Job<T> job, JobContext context, CancellationToken cancellationToken) =>
        handle(job, context, cancellationToken);
}
