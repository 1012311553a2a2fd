using Courier.Dispatching.Admission;
using Courier.Dispatching.Execution;
using Courier.Dispatching.Monitoring;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// A dispatcher's cancellations: the first admission check (a job cancelled before it is reached ends
/// <c>cancelled</c> without running), and firing the token of a cancelled job running here
/// (<see cref="JobDeadlines"/>). A cancellation is known from the control topic (<see cref="CancelRecord"/>, kept in
/// a bounded <see cref="CancelBook"/>) and, with a state store, from its <c>cancel:&lt;id&gt;</c> key
/// (<see cref="CancelStore"/>), which outlives the book's bound and a dispatcher started after the control record was
/// compacted away. That key is asked for only while <see cref="LiveCancellations"/> says some cancellation in the
/// store may be live.
/// </summary>
internal sealed class Cancellations : IJobAdmission
{
    private readonly IJobStateStore? _store;
    private readonly CourierTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancelBook _book;
    private readonly LiveCancellations? _live;
    private readonly JobDeadlines _running;

    /// <param name="store">The deployment's state store, or null (the control topic alone).</param>
    /// <param name="telemetry">Where store errors are counted.</param>
    /// <param name="logger">Where cancellations and store errors are logged.</param>
    /// <param name="time">The dispatcher's clock.</param>
    /// <param name="running">The clocks of the jobs running here, each named by its job's id.</param>
    public Cancellations(IJobStateStore? store, CourierTelemetry telemetry, ILogger logger, TimeProvider time, JobDeadlines running)
    {
        (_store, _telemetry, _logger, _time, _running) = (store, telemetry, logger, time, running);
        _book = new CancelBook(time);
        _live = store is null ? null : new LiveCancellations(store, time, e => StoreFailed(store, telemetry, logger, e, "get", CancelStore.LatestKey));
    }

    /// <summary>
    /// Applies a cancellation (read from the control topic, or made here; each may come first): remembered until it
    /// expires, and the job's token fired if it runs here. True when it runs here, cancelled.
    /// </summary>
    public bool Apply(CancelRecord record)
    {
        if (_book.Add(record))
        {
            CancelLog.Recorded(_logger, record.Id, record.Expires, record.Because);
            _live?.Raise(record.Expires);
            if (_store is { } store)
            {
                // `courier cancel` writes only the control topic: the dispatchers that read it put it in the store (each
                // the same key and expiry), where it outlives the book's bound.
                _ = RecordInStoreAsync(store, record);
            }
        }
        var runs = _running.TryCancel(record.Id, record.Because, out var fired);
        if (fired)
        {
            CancelLog.RunningCancelled(_logger, record.Id, record.Because);
        }
        return runs;
    }

    /// <summary>
    /// The in-memory cancellation of the job of <paramref name="job"/> (no store round trip), or null; its id is read
    /// only when a cancellation is kept.
    /// </summary>
    public CancelRecord? Find(JobMeta job) => _book.Find(job);

    /// <inheritdoc />
    public async ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (_book.Find(request.Event.Meta) is { } known)
        {
            return AdmissionVerdict.Skip(SkippedStates.Cancelled, known.Because);
        }
        if (_store is not { } store || !await _live!.AnyLiveAsync(cancellationToken))
        {
            return AdmissionVerdict.Run; // the common case: no cancellation live in the store, no round trip
        }
        var id = request.Event.Meta.Id;
        try
        {
            return await store.GetAsync(CancelStore.Key(id), cancellationToken) is { } reason
                ? AdmissionVerdict.Skip(SkippedStates.Cancelled, reason)
                : AdmissionVerdict.Run;
        }
        catch (JobStateStoreException e)
        {
            StoreFailed(store, _telemetry, _logger, e, "get", id);
            return AdmissionVerdict.Run;
        }
    }

    /// <inheritdoc />
    public ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask; // the key expires on its own: a copy of the job later in the log is cancelled too

    private async Task RecordInStoreAsync(IJobStateStore shared, CancelRecord record)
    {
        try
        {
            await CancelStore.RecordAsync(shared, record, _time);
        }
        catch (JobStateStoreException e)
        {
            StoreFailed(shared, _telemetry, _logger, e, "set", record.Id);
        }
        catch (ObjectDisposedException)
        {
            // The dispatcher is being disposed with its store: the next one to read the record writes it.
        }
    }

    /// <summary>Counts and logs a failed store operation on a cancellation (the caller fails open).</summary>
    public static void StoreFailed(IJobStateStore store, CourierTelemetry telemetry, ILogger logger, Exception e, string operation, string jobId)
    {
        DispatcherMetrics.CountStateError(telemetry, store.Name, operation);
        CancelLog.StoreFailed(logger, e, store.Name, operation, jobId);
    }
}
