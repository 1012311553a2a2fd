using System.Text.Json;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// Fails permanently while <see cref="Broken"/> is set (one dead letter per job, no retries), else succeeds; each result
/// names <see cref="Release"/> as the release that ran it (null: the dispatcher's).
/// </summary>
internal sealed class SwitchableHandler(bool broken) : IJobHandler<JsonElement>
{
    public volatile bool Broken = broken;

    public volatile string? Release;

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult((Broken ? JobResult.Fail("the handler is broken") : JobResult.Success) with { Release = Release });
}
