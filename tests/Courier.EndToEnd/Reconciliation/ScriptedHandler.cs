using Courier.EndToEnd.Support;

namespace Courier.EndToEnd.Reconciliation;

/// <summary>Fails or succeeds as the job's params say, and writes every execution and success to the ledger.</summary>
internal sealed class ScriptedHandler(JobLedger ledger) : IJobHandler<ScriptedParams>
{
    public async ValueTask<JobResult> HandleAsync(Job<ScriptedParams> job, JobContext context, CancellationToken cancellationToken)
    {
        ledger.Executed(job.Id, context.Attempt);
        var p = job.Params;
        if (p.DelayMs > 0)
        {
            // Some jobs finish after later ones of the same partition: the commit must still never pass them.
            await Task.Delay(p.DelayMs, cancellationToken);
        }
        var result = p.Behaviour switch
        {
            ScriptedBehaviour.Succeed => JobResult.Success,
            ScriptedBehaviour.Transient when context.Attempt > p.Failures => JobResult.Success,
            ScriptedBehaviour.Transient or ScriptedBehaviour.Forever => p.Throw
                ? throw new TimeoutException($"scripted transient failure, attempt {context.Attempt}")
                : JobResult.Retry($"scripted transient failure, attempt {context.Attempt}"),
            ScriptedBehaviour.Permanent => p.Throw
                ? throw new PermanentJobException("scripted permanent failure")
                : JobResult.Fail("scripted permanent failure"),
            _ => throw new InvalidOperationException($"unknown scripted behaviour '{p.Behaviour}'"),
        };
        if (result.IsSuccess)
        {
            ledger.Succeeded(job.Id);
        }
        return result;
    }
}
