namespace Courier.EndToEnd.Incident;

/// <summary>
/// The handler as it ran before the change: it posts to the page the event's top-level <c>page_namespace</c> and
/// <c>page_title</c> name, and cannot deliver without both (MediaWiki's "Title Special: is invalid").
/// </summary>
internal sealed class MassMessageHandlerV1(MassMessageInbox inbox) : IJobHandler<MassMessageParamsV1>
{
    public ValueTask<JobResult> HandleAsync(Job<MassMessageParamsV1> job, JobContext context, CancellationToken cancellationToken)
    {
        if (job.Event.PageNamespace is not { } ns || job.Event.PageTitle is not { Length: > 0 } prefixed)
        {
            return ValueTask.FromResult(JobResult.Fail($"Title {job.Event.PageTitle ?? "Special:"} is invalid"));
        }
        var (parsedNs, dbKey) = WikiTitles.Parse(prefixed);
        if (parsedNs != ns)
        {
            return ValueTask.FromResult(JobResult.Fail($"page_title {prefixed} is not in namespace {ns}"));
        }
        inbox.Deliver(new MassMessageDelivery(job.Id, ns, dbKey, job.Params.Recipient, job.Params.Message));
        return ValueTask.FromResult(JobResult.Success);
    }
}
