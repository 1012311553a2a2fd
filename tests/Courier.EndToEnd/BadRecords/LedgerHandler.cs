using Courier.EndToEnd.Support;

namespace Courier.EndToEnd.BadRecords;

/// <summary>Succeeds, writing the execution and the success to the ledger.</summary>
internal sealed class LedgerHandler(JobLedger ledger) : IJobHandler<GoodParams>
{
    public ValueTask<JobResult> HandleAsync(Job<GoodParams> job, JobContext context, CancellationToken cancellationToken)
    {
        ledger.Executed(job.Id, context.Attempt);
        ledger.Succeeded(job.Id);
        return ValueTask.FromResult(JobResult.Success);
    }
}
