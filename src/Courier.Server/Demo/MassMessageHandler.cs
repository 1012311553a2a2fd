namespace Courier.Server.Demo;

/// <summary>
/// Delivers a MassMessage into the durable inbox of the demo database. A delivery is written before the job reports
/// success, so a crash between the two redelivers (a duplicate row), never loses the message.
/// </summary>
internal sealed class MassMessageHandler(DemoInbox inbox, TimeProvider timeProvider) : IJobHandler<MassMessageParams>
{
    /// <inheritdoc />
    public async ValueTask<JobResult> HandleAsync(Job<MassMessageParams> job, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        var p = job.Params;
        if (!p.Title.IsValid)
        {
            // The 2019 failure, made loud: the original runner could not build such a job ("Title Special: is
            // invalid") and nobody saw the deliveries go missing. Here it is a decode failure, dead-lettered.
            return JobResult.Undecodable($"Title {p.Title.PrefixedDbkey} is invalid");
        }
        if (DemoSimulator.InjectFailure(p.Simulate, context) is { } failure)
        {
            return failure;
        }
        await DemoSimulator.WorkAsync(p.Simulate, 0, timeProvider, cancellationToken);
        await inbox.DeliverAsync(new InboxMessage(job.Id, p.Recipient, p.Title.PrefixedDbkey, p.Subject, p.Message), cancellationToken);
        return JobResult.Success;
    }
}
