using System.Collections.Concurrent;
using System.Text.Json;

namespace Courier.Server.Tests.Kafka;

/// <summary>Succeeds every job and keeps it, params as raw JSON, for the test to inspect.</summary>
internal sealed class RecordingHandler : IJobHandler<JsonElement>
{
    public ConcurrentQueue<Job<JsonElement>> Seen { get; } = new();

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken)
    {
        Seen.Enqueue(job);
        return ValueTask.FromResult(JobResult.Success);
    }
}
