using System.Text.Json;

namespace Courier.Browser.Tests;

/// <summary>Fails permanently (one dead letter, no retry) while <see cref="Broken"/> is set, then succeeds: a replay's copy succeeds.</summary>
internal sealed class FlakyHandler : IJobHandler<JsonElement>
{
    /// <summary>The job type it runs.</summary>
    public const string Type = "consoleFlaky";

    public volatile bool Broken = true;

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Broken ? JobResult.Fail("flaky: the downstream wiki refused the edit") : JobResult.Success);
}
