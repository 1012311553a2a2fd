namespace Courier.TestRunner;

/// <summary>
/// The test runner's handler: records that it started, waits as the job asks (a block file, work), then fails as the
/// process or the job says, or records its success and succeeds. Every row is durable before the handler moves on,
/// so the ledger says what ran on which runner even when the process is killed. When <paramref name="broken"/> is set,
/// every job fails permanently with it, whatever its params: a release that broke the type.
/// </summary>
internal sealed class ScriptedRunnerHandler(RunnerLedger ledger, FailureBurst burst, TimeProvider time, string? broken = null)
    : IJobHandler<RunnerJobParams>
{
    private readonly BlockFiles _blockFiles = new();

    public async ValueTask<JobResult> HandleAsync(Job<RunnerJobParams> job, JobContext context, CancellationToken cancellationToken)
    {
        var p = job.Params;
        var attempt = context.Attempt;
        await ledger.RecordAsync(job.Id, attempt, RunnerLedger.Started);
        var failingCall = burst.Enter();
        try
        {
            if (p.BlockFile is { } file)
            {
                await _blockFiles.WhenExistsAsync(file, cancellationToken);
            }
            if (p.WorkMilliseconds > 0 && (p.WorkAttempts == 0 || attempt <= p.WorkAttempts))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(p.WorkMilliseconds), time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ledger.RecordAsync(job.Id, attempt, RunnerLedger.Cancelled);
            throw;
        }
        if (failingCall is { } call)
        {
            var message = $"burst: call {call} of the first {burst.Count} fails";
            await ledger.RecordAsync(job.Id, attempt, RunnerLedger.Failed, message);
            throw new InvalidOperationException(message);
        }
        if ((broken ?? p.Permanent) is { } reason)
        {
            await ledger.RecordAsync(job.Id, attempt, RunnerLedger.Failed, reason);
            return JobResult.Fail(reason);
        }
        await ledger.RecordAsync(job.Id, attempt, RunnerLedger.Succeeded);
        return JobResult.Success;
    }
}
