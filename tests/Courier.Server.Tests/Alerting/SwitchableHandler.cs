using System.Text.Json;

namespace Courier.Server.Tests.Alerting;

/// <summary>Throws a permanent failure while <see cref="Broken"/> is set (one dead letter per job, no retries), else succeeds.</summary>
internal sealed class SwitchableHandler(bool broken) : IJobHandler<JsonElement>
{
    public volatile bool Broken = broken;

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken) =>
        Broken ? throw new PermanentJobException("the handler is broken") : ValueTask.FromResult(JobResult.Success);
}
