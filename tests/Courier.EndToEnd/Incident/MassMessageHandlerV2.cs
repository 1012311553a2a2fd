namespace Courier.EndToEnd.Incident;

/// <summary>
/// The fixed handler: binds version 2's shape and recovers the namespace from the prefixed title. Version 1 jobs
/// reach it through <see cref="IncidentFix.ConvertV1"/>.
/// </summary>
internal sealed class MassMessageHandlerV2(MassMessageInbox inbox) : IJobHandler<MassMessageParamsV2>
{
    public ValueTask<JobResult> HandleAsync(Job<MassMessageParamsV2> job, JobContext context, CancellationToken cancellationToken)
    {
        var (ns, dbKey) = WikiTitles.Parse(job.Params.Title);
        inbox.Deliver(new MassMessageDelivery(job.Id, ns, dbKey, job.Params.Recipient, job.Params.Message));
        return ValueTask.FromResult(JobResult.Success);
    }
}
