namespace Courier.TestDispatcher;

/// <summary>
/// The test job's handler: works for the time the job asks, then fails as asked or records the delivery in the inbox.
/// A job succeeds only once its row is durable, so the inbox is the ground truth of what ran, even across kill -9.
/// </summary>
internal sealed class InboxHandler(DeliveryInbox inbox, TimeProvider time) : IJobHandler<TestJobParams>
{
    public async ValueTask<JobResult> HandleAsync(Job<TestJobParams> job, JobContext context, CancellationToken cancellationToken)
    {
        if (job.Params.WorkMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(job.Params.WorkMilliseconds), time, cancellationToken);
        }
        if (job.Params.Permanent)
        {
            return JobResult.Fail($"test job {job.Params.Index} fails permanently");
        }
        if (context.Attempt <= job.Params.FailAttempts)
        {
            return JobResult.Retry($"test job {job.Params.Index} fails attempt {context.Attempt}");
        }
        await inbox.DeliverAsync(job.Id, context.Source, context.Attempt, cancellationToken);
        return JobResult.Success;
    }
}
