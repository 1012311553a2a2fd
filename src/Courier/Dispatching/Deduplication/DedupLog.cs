using Courier.Dispatching.Admission;
using Courier.Dispatching.Monitoring;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Deduplication;

/// <summary>Log lines of deduplication and supersession (event ids 70–79).</summary>
internal static partial class DedupLog
{
    [LoggerMessage(70, LogLevel.Warning,
        "State store {Store} failed on {Operation} for job {JobId} ({JobType}); deduplication failed open, the job runs and a duplicate may run twice")]
    public static partial void FailedOpen(ILogger logger, Exception exception, string store, string operation, string jobId, string jobType);

    [LoggerMessage(71, LogLevel.Information, "Job {JobId} ({JobType}) takes over the run of its sha1 from job {PreviousJobId}: created after that run started at {Started:O}")]
    public static partial void TakesOver(ILogger logger, string jobId, string jobType, string previousJobId, DateTimeOffset started);

    [LoggerMessage(72, LogLevel.Warning,
        "State store {Store} failed to renew run claim {Key}; if it lapses, another reader of the record may run its job beside this one")]
    public static partial void RenewFailed(ILogger logger, Exception exception, string store, string key);

    /// <summary>Counts and logs a store failure that let the job run (deduplication fails open).</summary>
    public static void StoreFailed(ILogger logger, CourierTelemetry telemetry, IJobStateStore store, JobStateStoreException exception,
        string operation, AdmissionRequest request)
    {
        DispatcherMetrics.CountStateError(telemetry, store.Name, operation);
        FailedOpen(logger, exception, store.Name, operation, request.Event.Meta.Id, request.Type.Name);
    }
}
