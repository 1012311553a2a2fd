namespace Courier;

/// <summary>Enqueues jobs: builds the event (meta, sha1, producer), checks it, and appends it to the job topic.</summary>
public sealed class CourierClient : IDisposable
{
    /// <summary>Creates a client that appends through <paramref name="log"/>.</summary>
    public CourierClient(IJobLog log, CourierOptions options, CourierTelemetry telemetry, TimeProvider timeProvider)
    {
        throw new NotImplementedException("client: being written");
    }

    /// <summary>Enqueues one job; completes when it is durable in the log.</summary>
    public ValueTask<EnqueuedJob> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Enqueues a batch in one append; completes when all are durable. Nothing is appended if any request is invalid.</summary>
    public ValueTask<IReadOnlyList<EnqueuedJob>> EnqueueBatchAsync(
        IReadOnlyList<JobRequest> requests, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Builds the event a request becomes, without appending it.</summary>
    public JobEvent BuildEvent(JobRequest request) => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() { }
}
