namespace Courier.Server.Demo;

/// <summary>Simulates an HTML cache purge: a short asynchronous wait, as for a request to the CDN.</summary>
internal sealed class HtmlCacheUpdateHandler(TimeProvider timeProvider) : IJobHandler<HtmlCacheUpdateParams>
{
    /// <summary>Simulated purge time when the job does not set <c>work_ms</c>.</summary>
    public const int DefaultWorkMilliseconds = 10;

    /// <inheritdoc />
    public async ValueTask<JobResult> HandleAsync(Job<HtmlCacheUpdateParams> job, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        if (DemoSimulator.InjectFailure(job.Params.Simulate, context) is { } failure)
        {
            return failure;
        }
        await DemoSimulator.WorkAsync(job.Params.Simulate, DefaultWorkMilliseconds, timeProvider, cancellationToken);
        return JobResult.Success;
    }
}
