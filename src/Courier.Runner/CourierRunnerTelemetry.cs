namespace Courier;

/// <summary>
/// Names of the runner's instruments. They live on their own meter, <c>Courier.Runner</c>, beside the dispatcher's
/// <c>Courier</c> meter, so a process hosting both reports each side apart. Tags are low-cardinality: job type,
/// outcome, failure class, HTTP status, rejection reason; never a job id.
/// </summary>
public static class CourierRunnerTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "Courier.Runner";

    /// <summary>Counter of answered requests, tagged <c>job.type</c> (once decoded), <c>outcome</c> (<c>succeeded</c>, <c>failed</c>: the handler ran and failed, <c>rejected</c>: it never ran), <c>failure.class</c>, <c>http.response.status_code</c> and <c>release</c> (<see cref="CourierOptions.Release"/>).</summary>
    public const string Requests = "courier.runner.requests";

    /// <summary>Histogram of handler execution time in seconds, tagged <c>job.type</c> and <c>outcome</c>.</summary>
    public const string JobDuration = "courier.runner.job.duration";

    /// <summary>Up-down counter of executions running now, tagged <c>job.type</c>.</summary>
    public const string InFlight = "courier.runner.jobs.in_flight";

    /// <summary>Counter of requests refused for their signature, tagged <c>reason</c>: <c>missing</c>, <c>invalid</c>, <c>stale</c>, <c>unknown_key</c>, <c>replayed</c>.</summary>
    public const string SignatureRejections = "courier.runner.signature.rejections";
}
